import type { Dim, Graph, TypeProto } from '../model';
import { nameRecord, ownValue } from '../../safeRecord';

/**
 * Concrete sizes for a model's inputs, so that shapes and FLOPs can be computed for models
 * with dynamic dims. Used by `aios inspect`, the graph view (and its input-size control) and
 * anything else that must show the same figures for the same model.
 *
 * Where each size comes from, in order:
 * 1. `given`: sizes the caller knows (`--input`, a use case's declared input shape, a value
 *    the user set in the view); symbolic or unknown entries there count as not given;
 * 2. the model: a dim fixed in the file;
 * 3. the default: the first dim (batch) is 1; the spatial dims of an image-like input
 *    (rank 4, 1/3/4 channels in NCHW or NHWC, the other side not fixed below 16) are 224; the last dim of a rank-2 integer
 *    input (token ids, masks) is 128; a past length (`past_seq`, `past_sequence_length`) is 0,
 *    the prompt with an empty KV cache; anything else is 1. A symbol shared by several inputs
 *    gets one value (the first one decided).
 */

export const defaultBatch = 1;
export const defaultImageSide = 224;
export const defaultSequence = 128;
/** A fixed side below this is not an image's (a KV cache's head size, a feature count). */
const minImageSide = 16;
const pastLength = /^past(_|$)|past_?(seq|sequence|len|length)/i;

/** Where one dim's size came from. */
export type SizeSource = 'given' | 'model' | 'default';

export interface InputSize {
  readonly name: string;
  /** Declared dims (symbols by name, unknown as null); null when the rank is unknown. */
  readonly declared: ReadonlyArray<number | string | null> | null;
  /** Sizes used; null when the rank is unknown and nothing was given. */
  readonly dims: readonly number[] | null;
  /** One per dim of `dims`. */
  readonly sources: readonly SizeSource[];
}

export interface ResolvedInputSizes {
  readonly inputs: readonly InputSize[];
  /** For shape inference (`inputShapes`): every input whose rank is known. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /** Whether any size was defaulted (the figures then hold for these sizes only). */
  readonly defaulted: boolean;
}

export type GivenSizes = Readonly<Record<string, ReadonlyArray<Dim | null>>>;

function declaredDims(type: TypeProto | undefined): Array<number | string | null> | null {
  if (type?.kind !== 'tensor' || !type.shape) return null;
  return type.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d !== '' ? d : null));
}

const integerTypes = new Set([2, 3, 4, 5, 6, 7, 12, 13]);

function defaultDim(declared: ReadonlyArray<number | string | null>, i: number, elemType: number | undefined): number {
  if (i === 0 && declared.length > 1) return defaultBatch;
  // A KV cache's past length: the prompt runs with an empty cache (prefill), the one size every decoder export accepts.
  if (typeof declared[i] === 'string' && pastLength.test(declared[i] as string)) return 0;
  if (declared.length === 4) {
    const channels = (d: number | string | null | undefined) => d === 1 || d === 3 || d === 4;
    // A KV cache [batch, heads, past_seq, head_dim] with 4 heads looks like NCHW; an image's other side is not a small fixed number.
    const imageSide = (other: number | string | null | undefined) => !(typeof other === 'number' && other < minImageSide);
    if (channels(declared[1]) && (i === 2 || i === 3) && imageSide(declared[i === 2 ? 3 : 2])) return defaultImageSide;
    if (channels(declared[3]) && (i === 1 || i === 2) && imageSide(declared[i === 1 ? 2 : 1])) return defaultImageSide;
  }
  if (declared.length === 2 && i === 1 && elemType !== undefined && integerTypes.has(elemType)) return defaultSequence;
  return 1;
}

/** Sizes for every non-initializer input of `graph` (see the module comment for the rules). */
export function resolveInputSizes(graph: Graph, given: GivenSizes = {}): ResolvedInputSizes {
  const initializers = new Set(graph.initializers.map((t) => t.name));
  const symbols = new Map<string, { size: number; source: SizeSource }>();
  let defaulted = false;
  const inputs: InputSize[] = [];
  const shapes = nameRecord<number[]>();
  const candidates = graph.inputs.filter((v) => !initializers.has(v.name));
  // Given sizes first, so a symbol they fix holds for every input that shares it.
  for (const v of candidates) {
    const declared = declaredDims(v.type);
    const g = ownValue(given, v.name);
    if (!declared || !g || g.length !== declared.length) continue;
    declared.forEach((d, i) => {
      const value = g[i];
      if (typeof d === 'string' && typeof value === 'number' && value >= 0 && !symbols.has(d)) symbols.set(d, { size: value, source: 'given' });
    });
  }
  for (const v of candidates) {
    const declared = declaredDims(v.type);
    const g = ownValue(given, v.name);
    const elemType = v.type?.kind === 'tensor' ? v.type.elemType : undefined;
    if (!declared) {
      const usable = g && g.every((d): d is number => typeof d === 'number' && d >= 0) ? (g as number[]) : null;
      inputs.push({ name: v.name, declared: null, dims: usable, sources: usable ? usable.map(() => 'given') : [] });
      if (usable) shapes[v.name] = usable;
      continue;
    }
    const dims: number[] = [];
    const sources: SizeSource[] = [];
    declared.forEach((d, i) => {
      const value = g && g.length === declared.length ? g[i] : undefined;
      if (typeof d === 'number') {
        dims.push(d);
        sources.push('model');
      } else if (typeof value === 'number' && value >= 0) {
        dims.push(value);
        sources.push('given');
      } else {
        const shared = typeof d === 'string' ? symbols.get(d) : undefined;
        const decided = shared ?? { size: defaultDim(declared, i, elemType), source: 'default' as const };
        if (typeof d === 'string') symbols.set(d, decided);
        dims.push(decided.size);
        sources.push(decided.source);
      }
    });
    if (sources.includes('default')) defaulted = true;
    inputs.push({ name: v.name, declared, dims, sources });
    shapes[v.name] = dims;
  }
  return { inputs, shapes, defaulted };
}

/** Whether any input has a dim that is not fixed in the model. */
export function hasDynamicInputs(sizes: ResolvedInputSizes): boolean {
  return sizes.inputs.some((i) => i.dims === null || i.sources.some((s) => s !== 'model'));
}

/** `x=1×3×224×224` for each input whose sizes are not all fixed in the model; '' when all are. */
export function describeInputSizes(sizes: ResolvedInputSizes): string {
  return sizes.inputs
    .filter((i) => i.dims === null || i.sources.some((s) => s !== 'model'))
    .map((i) => `${i.name}=${i.dims ? i.dims.join('×') : '?'}`)
    .join(', ');
}
