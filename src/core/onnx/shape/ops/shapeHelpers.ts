import type { Dim } from '../../model';
import type { OpContext } from '../context';
import type { Elem } from '../types';
import { mergeDim } from '../dims';
import { addSymbolic } from '../symbolic';

/** Product of dims: concrete when all are; a lone symbol times ones stays that symbol. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let n = 1;
  let symbol: string | undefined;
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else if (typeof d === 'string' && symbol === undefined) symbol = d;
    else return undefined;
  }
  if (symbol === undefined) return n;
  return n === 1 ? symbol : n === 0 ? 0 : undefined;
}

/** An elem as a dim (a folded shape element). Negative numbers are not dims. */
export function elemAsDim(e: Elem): Dim {
  return typeof e === 'number' ? (e >= 0 && Number.isInteger(e) ? e : undefined) : e;
}

/**
 * Integer list from an attribute (older opsets) or a constant input (newer ones). `undefined`
 * means absent; `'unknown'` means the input exists but is not constant.
 */
export function intsFromAttrOrInput(ctx: OpContext, attr: string, input: number, inputSinceOpset: number): number[] | undefined | 'unknown' {
  if (ctx.opset < inputSinceOpset) return ctx.ints(attr);
  if (!ctx.has(input)) return ctx.ints(attr);
  const v = ctx.value(input);
  if (!v) return 'unknown';
  const out: number[] = [];
  for (const x of v.data) {
    if (typeof x !== 'number') return 'unknown';
    out.push(x);
  }
  return out;
}

/** Shape of the concatenation of `shapes` (all of rank `rank`) along `axis`: other dims merged, `axis` summed. */
export function concatShape(shapes: ReadonlyArray<readonly Dim[] | undefined>, rank: number, axis: number): Dim[] {
  const out: Dim[] = new Array<Dim>(rank).fill(undefined);
  let sum: Dim = 0;
  for (const s of shapes) {
    for (let i = 0; i < rank; i++) if (i !== axis && s) out[i] = mergeDim(out[i], s[i]);
    sum = addSymbolic(sum, s?.[axis], 1);
  }
  out[axis] = sum;
  return out;
}
