import { DataType } from '../onnx/model';

const names: Record<number, string> = {
  [DataType.UNDEFINED]: '',
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

/** Short lower-case name of an ONNX element type (`float32`), or `dtype(N)` for unknown codes. */
export function dtypeName(type: DataType): string {
  return names[type] ?? `dtype(${type})`;
}
