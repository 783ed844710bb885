import { DataType } from '../model';

const names: Readonly<Record<number, string>> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.COMPLEX64]: 'complex64',
  [DataType.COMPLEX128]: 'complex128',
  [DataType.BFLOAT16]: 'bfloat16',
  [DataType.FLOAT8E4M3FN]: 'float8e4m3fn',
  [DataType.FLOAT8E4M3FNUZ]: 'float8e4m3fnuz',
  [DataType.FLOAT8E5M2]: 'float8e5m2',
  [DataType.FLOAT8E5M2FNUZ]: 'float8e5m2fnuz',
  [DataType.UINT4]: 'uint4',
  [DataType.INT4]: 'int4',
  [DataType.FLOAT4E2M1]: 'float4e2m1',
};

/** Short numpy-style name of an element type ('float32', 'int4', ...); 'unknown' when undefined. */
export function dtypeName(dtype: DataType | undefined): string {
  if (dtype === undefined || dtype === DataType.UNDEFINED) return 'unknown';
  return names[dtype] ?? `dtype${dtype}`;
}

/** Storage bits per element (int4 = 4, float8 = 8). Undefined for strings and unknown types. */
export function dtypeBits(dtype: DataType | undefined): number | undefined {
  switch (dtype) {
    case DataType.BOOL:
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
      return 8;
    case DataType.UINT4:
    case DataType.INT4:
    case DataType.FLOAT4E2M1:
      return 4;
    case DataType.UINT16:
    case DataType.INT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return 16;
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 32;
    case DataType.DOUBLE:
    case DataType.INT64:
    case DataType.UINT64:
    case DataType.COMPLEX64:
      return 64;
    case DataType.COMPLEX128:
      return 128;
    default:
      return undefined;
  }
}

/** Bytes to store `elements` values of `dtype`, sub-byte types packed (rounded up). */
export function byteSize(dtype: DataType | undefined, elements: number): number | undefined {
  const bits = dtypeBits(dtype);
  return bits === undefined ? undefined : Math.ceil((elements * bits) / 8);
}

export function isFloatType(dtype: DataType | undefined): boolean {
  return (
    dtype === DataType.FLOAT ||
    dtype === DataType.DOUBLE ||
    dtype === DataType.FLOAT16 ||
    dtype === DataType.BFLOAT16
  );
}

export function isIntegerType(dtype: DataType | undefined): boolean {
  return (
    dtype === DataType.INT8 ||
    dtype === DataType.INT16 ||
    dtype === DataType.INT32 ||
    dtype === DataType.INT64 ||
    dtype === DataType.UINT8 ||
    dtype === DataType.UINT16 ||
    dtype === DataType.UINT32 ||
    dtype === DataType.UINT64
  );
}
