import { DataType } from './model';

/** Element decoder for one little-endian raw layout; undefined for types without numeric statistics. */
export function elementDecoder(type: DataType, bytes: Uint8Array): ((i: number) => number) | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case DataType.FLOAT:
      return (i) => view.getFloat32(i * 4, true);
    case DataType.DOUBLE:
      return (i) => view.getFloat64(i * 8, true);
    case DataType.FLOAT16:
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case DataType.BFLOAT16:
    {
      const scratch = new DataView(new ArrayBuffer(4));
      return (i) => {
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16, true);
        return scratch.getFloat32(0, true);
      };
    }
    case DataType.INT8:
      return (i) => view.getInt8(i);
    case DataType.UINT8:
    case DataType.BOOL:
      return (i) => view.getUint8(i);
    case DataType.INT16:
      return (i) => view.getInt16(i * 2, true);
    case DataType.UINT16:
      return (i) => view.getUint16(i * 2, true);
    case DataType.INT32:
      return (i) => view.getInt32(i * 4, true);
    case DataType.UINT32:
      return (i) => view.getUint32(i * 4, true);
    case DataType.INT64:
      return (i) => Number(view.getBigInt64(i * 8, true));
    case DataType.UINT64:
      return (i) => Number(view.getBigUint64(i * 8, true));
    case DataType.INT4:
      return (i) => {
        const nibble = (view.getUint8(i >> 1) >> ((i & 1) * 4)) & 0xf;
        return nibble >= 8 ? nibble - 16 : nibble;
      };
    case DataType.UINT4:
      return (i) => (view.getUint8(i >> 1) >> ((i & 1) * 4)) & 0xf;
    default:
      return undefined;
  }
}

export const bitsPerElement: Partial<Record<DataType, number>> = {
  [DataType.FLOAT]: 32, [DataType.DOUBLE]: 64, [DataType.FLOAT16]: 16, [DataType.BFLOAT16]: 16,
  [DataType.INT8]: 8, [DataType.UINT8]: 8, [DataType.BOOL]: 8, [DataType.INT16]: 16, [DataType.UINT16]: 16,
  [DataType.INT32]: 32, [DataType.UINT32]: 32, [DataType.INT64]: 64, [DataType.UINT64]: 64,
  [DataType.INT4]: 4, [DataType.UINT4]: 4,
};

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
