/**
 * Tensors as they pass between our code and onnxruntime: a type name (onnxruntime's), dims and
 * a typed array. float16 travels as raw half bits in a Uint16Array (Node 20 has no Float16Array).
 */
import { DataType } from '../onnx/model';
import { halfToFloat } from '../onnx/tensorElements';
import type { NpyArray, NpyDtype } from './npy';

export type RuntimeType =
  | 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16'
  | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool' | 'string';

export type RuntimeData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | readonly string[];

export interface RuntimeTensor {
  readonly type: RuntimeType;
  readonly dims: readonly number[];
  readonly data: RuntimeData;
}

const runtimeTypes: Partial<Record<DataType, RuntimeType>> = {
  [DataType.FLOAT]: 'float32', [DataType.FLOAT16]: 'float16', [DataType.DOUBLE]: 'float64',
  [DataType.INT8]: 'int8', [DataType.UINT8]: 'uint8', [DataType.INT16]: 'int16', [DataType.UINT16]: 'uint16',
  [DataType.INT32]: 'int32', [DataType.UINT32]: 'uint32', [DataType.INT64]: 'int64', [DataType.UINT64]: 'uint64',
  [DataType.BOOL]: 'bool', [DataType.STRING]: 'string',
};

/** onnxruntime's name for an ONNX element type; undefined for types it cannot hand to JavaScript (bfloat16, int4, float8, ...). */
export function runtimeType(dtype: DataType | undefined): RuntimeType | undefined {
  return dtype === undefined ? undefined : runtimeTypes[dtype];
}

const npyDtypes: ReadonlySet<string> = new Set<NpyDtype>(['float32', 'float16', 'int8', 'uint8', 'int32', 'int64', 'bool']);

/** The `.npy` dtype for a model element type, when samples of that type can be given as `.npy`. */
export function npyDtypeOf(dtype: DataType | undefined): NpyDtype | undefined {
  const type = runtimeType(dtype);
  return type !== undefined && npyDtypes.has(type) ? (type as NpyDtype) : undefined;
}

export function fromNpy(array: NpyArray): RuntimeTensor {
  return { type: array.dtype, dims: array.shape, data: array.data };
}

export function isFloatRuntimeType(type: RuntimeType): boolean {
  return type === 'float32' || type === 'float16' || type === 'float64';
}

/**
 * The values as float32 (float16 decoded, integers and bools converted), for error metrics.
 * float32 data is returned as is, not copied. Strings cannot be converted.
 */
export function toFloat32(tensor: RuntimeTensor): Float32Array {
  const { data } = tensor;
  if (data instanceof Float32Array) return data;
  if (tensor.type === 'string') throw new Error('string tensors have no numeric values');
  const out = new Float32Array(data.length);
  if (tensor.type === 'float16') {
    const halves = data as Uint16Array;
    for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i] ?? 0);
  } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else {
    const numbers = data as Exclude<RuntimeData, BigInt64Array | BigUint64Array | readonly string[]>;
    for (let i = 0; i < numbers.length; i++) out[i] = numbers[i] ?? 0;
  }
  return out;
}

/** IEEE half bits of a number (round to nearest even), for synthetic float16 samples. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return sign | half;
}
