import { DataType, type Tensor } from '../model';
import { elementDecoder } from '../tensorElements';
import { addSymbolic, divideSymbolic, scaleSymbolic } from './symbolic';
import type { ConstValue, Elem } from './types';

/** Element types we decode for constant folding (shape arithmetic is integer, masks are bool). */
export function isFoldableType(dtype: DataType): boolean {
  return elementWidth(dtype) !== undefined;
}

/** Reads a small tensor's payload into numbers; undefined when the type or payload does not fit. */
export async function readConstValue(tensor: Tensor, signal?: AbortSignal): Promise<ConstValue | undefined> {
  if (!isFoldableType(tensor.dataType)) return undefined;
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  const bytes = await tensor.data.read(signal);
  const data = decodeElements(tensor.dataType, bytes, count);
  return data ? { dims: [...tensor.dims], data } : undefined;
}

export function decodeElements(dtype: DataType, bytes: Uint8Array, count: number): number[] | undefined {
  const width = elementWidth(dtype);
  const at = elementDecoder(dtype, bytes);
  if (width === undefined || at === undefined || bytes.byteLength < count * width) return undefined;
  const out = new Array<number>(count);
  if (dtype === DataType.BOOL) for (let i = 0; i < count; i++) out[i] = at(i) ? 1 : 0;
  else for (let i = 0; i < count; i++) out[i] = at(i);
  return out;
}

function elementWidth(dtype: DataType): number | undefined {
  switch (dtype) {
    case DataType.BOOL: case DataType.INT8: case DataType.UINT8: return 1;
    case DataType.INT16: case DataType.UINT16: case DataType.FLOAT16: case DataType.BFLOAT16: return 2;
    case DataType.FLOAT: case DataType.INT32: case DataType.UINT32: return 4;
    case DataType.DOUBLE: case DataType.INT64: case DataType.UINT64: return 8;
    default: return undefined;
  }
}

export function scalarValue(x: Elem): ConstValue {
  return { dims: [], data: [x] };
}

export function vectorValue(xs: readonly Elem[]): ConstValue {
  return { dims: [xs.length], data: xs };
}

/** Concrete numbers of a value, or undefined when any element is symbolic or unknown. */
export function concreteNumbers(v: ConstValue | undefined): number[] | undefined {
  if (!v) return undefined;
  const out: number[] = [];
  for (const x of v.data) {
    if (typeof x !== 'number') return undefined;
    out.push(x);
  }
  return out;
}

export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Equal' | 'Less' | 'Greater' | 'LessOrEqual' | 'GreaterOrEqual' | 'Max' | 'Min' | 'Mod' | 'And' | 'Or' | 'Pow';

/** Elementwise arithmetic on folded elements; symbols survive only identities (x*1, x+0, x==x). */
export function binaryElem(op: BinaryOp, a: Elem, b: Elem, integer: boolean): Elem {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case 'Add': return a + b;
      case 'Sub': return a - b;
      case 'Mul': return a * b;
      case 'Div': return b === 0 ? undefined : integer ? Math.trunc(a / b) : a / b;
      case 'Mod': return b === 0 ? undefined : integer ? a - Math.floor(a / b) * b : a % b;
      case 'Pow': return a ** b;
      case 'Equal': return a === b ? 1 : 0;
      case 'Less': return a < b ? 1 : 0;
      case 'Greater': return a > b ? 1 : 0;
      case 'LessOrEqual': return a <= b ? 1 : 0;
      case 'GreaterOrEqual': return a >= b ? 1 : 0;
      case 'Max': return Math.max(a, b);
      case 'Min': return Math.min(a, b);
      case 'And': return a && b ? 1 : 0;
      case 'Or': return a || b ? 1 : 0;
    }
  }
  if (a === undefined || b === undefined) return undefined;
  switch (op) {
    case 'Add': return integer ? addSymbolic(a, b, 1) : b === 0 ? a : a === 0 ? b : undefined;
    case 'Sub': return integer ? addSymbolic(a, b, -1) : b === 0 ? a : undefined;
    case 'Mul': return typeof b === 'number' ? (integer ? scaleSymbolic(a, b) : b === 1 ? a : undefined) : typeof a === 'number' ? (integer ? scaleSymbolic(b, a) : a === 1 ? b : undefined) : undefined;
    case 'Div': return typeof b === 'number' && integer ? divideSymbolic(a, b) : b === 1 ? a : undefined;
    case 'Equal': return a === b ? 1 : undefined;
    case 'Max': case 'Min': return a === b ? a : undefined;
    default: return undefined;
  }
}

/** Broadcasting elementwise fold of two values. */
export function foldBinary(op: BinaryOp, a: ConstValue, b: ConstValue, integer: boolean, maxElements: number): ConstValue | undefined {
  const rank = Math.max(a.dims.length, b.dims.length);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a.dims[i - rank + a.dims.length] ?? 1;
    const db = b.dims[i - rank + b.dims.length] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    dims.push(da === 1 ? db : da);
  }
  const n = dims.reduce((x, y) => x * y, 1);
  if (n > maxElements) return undefined;
  const data: Elem[] = new Array<Elem>(n);
  for (let i = 0; i < n; i++) {
    data[i] = binaryElem(op, a.data[broadcastIndex(i, dims, a.dims)], b.data[broadcastIndex(i, dims, b.dims)], integer);
  }
  return { dims, data };
}

/** Index into `srcDims` (broadcast to `outDims`) of flat output index `i`. */
export function broadcastIndex(i: number, outDims: readonly number[], srcDims: readonly number[]): number {
  let rem = i;
  let idx = 0;
  let stride = 1;
  for (let k = outDims.length - 1; k >= 0; k--) {
    const od = outDims[k] ?? 1;
    const coord = rem % od;
    rem = Math.floor(rem / od);
    const sk = k - outDims.length + srcDims.length;
    if (sk >= 0) {
      const sd = srcDims[sk] ?? 1;
      if (sd !== 1) idx += coord * stride;
      stride *= sd;
    }
  }
  return idx;
}
