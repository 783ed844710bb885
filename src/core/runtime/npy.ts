/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): the sample format of calibration,
 * quantdiff and replay data. Little-endian (or byte-order-free) C-order arrays of the dtypes
 * onnxruntime takes as inputs. Anything else is refused with a message saying what the file
 * holds and what is accepted.
 */

export type NpyDtype = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

export type NpyData = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** An array read from or written to a `.npy` file. float16 values are raw IEEE half bits; bool is 0/1 bytes. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

/** A `.npy` file that cannot be read: the message names the file and says what is wrong. */
export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
}

const descrs: Readonly<Record<string, NpyDtype>> = {
  '<f4': 'float32', '<f2': 'float16', '|i1': 'int8', '<i1': 'int8', '|u1': 'uint8', '<u1': 'uint8',
  '<i4': 'int32', '<i8': 'int64', '|b1': 'bool', '<b1': 'bool',
};

const descrOf: Readonly<Record<NpyDtype, string>> = {
  float32: '<f4', float16: '<f2', int8: '|i1', uint8: '|u1', int32: '<i4', int64: '<i8', bool: '|b1',
};

export const npyItemSize: Readonly<Record<NpyDtype, number>> = {
  float32: 4, float16: 2, int8: 1, uint8: 1, int32: 4, int64: 8, bool: 1,
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses a `.npy` file. `source` names the file in errors. The result owns a copy of its data, aligned for its type. */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  const fail = (what: string): never => {
    throw new NpyFormatError(`${source}: ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (no \\x93NUMPY magic); save arrays with numpy.save');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return fail(`.npy format version ${major} is not supported (1, 2 and 3 are)`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeader(header, fail);
  if (fortran) fail('the array is in Fortran order; save a C-order array (numpy.ascontiguousarray) instead');
  const dtype = descrs[descr];
  if (dtype === undefined) {
    const hint = descr.startsWith('>') ? ' (big-endian: convert with arr.astype(arr.dtype.newbyteorder("<")))' : descr === '<f8' ? ' (float64: convert with arr.astype(numpy.float32))' : '';
    return fail(`dtype ${descr} is not supported${hint}; use float32, float16, int8, uint8, int32, int64 or bool`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * npyItemSize[dtype];
  const available = bytes.length - dataStart;
  if (available < byteLength) fail(`holds ${available} data bytes, but shape [${shape.join(', ')}] of ${dtype} needs ${byteLength}`);
  if (available > byteLength) fail(`holds ${available - byteLength} bytes after the array of shape [${shape.join(', ')}]; is it several arrays in one file?`);
  // A fresh copy (not bytes.slice: on a Node Buffer that is a view into a shared pool).
  const copy = new Uint8Array(byteLength);
  copy.set(bytes.subarray(dataStart, dataStart + byteLength));
  return { dtype, shape, data: typedView(dtype, copy.buffer, count) };
}

function parseHeader(header: string, fail: (what: string) => never): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return fail(`header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape (a structured array?)`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : fail(`shape (${shapeText}) is not a tuple of sizes`)));
  return { descr, fortran: fortran === 'True', shape };
}

export function typedView(dtype: NpyDtype, buffer: ArrayBufferLike, count: number, byteOffset = 0): NpyData {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, byteOffset, count);
    case 'float16': return new Uint16Array(buffer, byteOffset, count);
    case 'int8': return new Int8Array(buffer, byteOffset, count);
    case 'uint8':
    case 'bool': return new Uint8Array(buffer, byteOffset, count);
    case 'int32': return new Int32Array(buffer, byteOffset, count);
    case 'int64': return new BigInt64Array(buffer, byteOffset, count);
  }
}

/** Encodes an array as a version 1.0 `.npy` file (version 2.0 when the header needs more than 64 KiB). */
export function encodeNpy(array: NpyArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) throw new Error(`npy: ${array.data.length} values for shape [${array.shape.join(', ')}] (${count} expected)`);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  const dict = `{'descr': '${descrOf[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  let version = 1;
  let prefix = 10;
  if (dict.length + 1 + prefix > 0xffff) {
    version = 2;
    prefix = 12;
  }
  // Header padded with spaces so the data starts on a 64-byte boundary, ending in a newline.
  const padded = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(padded - prefix - dict.length - 1) + '\n';
  const body = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(padded + body.length);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(body, padded);
  return out;
}
