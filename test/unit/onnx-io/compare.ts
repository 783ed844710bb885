/** Helpers to compare models structurally and to run them in onnxruntime-node. */
import * as ort from 'onnxruntime-node';
import { DataType, type Model, type Tensor, type TensorData } from '../../../src/core/onnx/model';

/**
 * A plain snapshot of a model for deepStrictEqual: tensor payloads replaced by their bytes,
 * byteLength left out (it may be unknown before a rewrite and known after).
 */
export async function snapshot(value: unknown): Promise<unknown> {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return Promise.all(value.map(snapshot));
  if (isTensorData(value)) return { location: value.location, externalPath: value.externalPath, bytes: Buffer.from(await value.read()).toString('hex') };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = await snapshot((value as Record<string, unknown>)[key]);
  return out;
}

function isTensorData(value: object): value is TensorData {
  return typeof (value as { read?: unknown }).read === 'function' && 'location' in value;
}

const ORT_TYPES: Partial<Record<DataType, ort.Tensor.Type>> = {
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
};

/** Our tensor as an ort.Tensor, or undefined when ORT has no JS type for it. */
export async function toOrtTensor(tensor: Tensor): Promise<ort.Tensor | undefined> {
  const type = ORT_TYPES[tensor.dataType];
  if (type === undefined) return undefined;
  const bytes = new Uint8Array(await tensor.data.read());
  const buffer = bytes.buffer;
  const dims = [...tensor.dims];
  switch (type) {
    case 'float32': return new ort.Tensor(type, new Float32Array(buffer), dims);
    case 'uint8':
    case 'bool': return new ort.Tensor(type, new Uint8Array(buffer), dims);
    case 'int8': return new ort.Tensor(type, new Int8Array(buffer), dims);
    case 'uint16':
    case 'float16': return new ort.Tensor(type, new Uint16Array(buffer), dims);
    case 'int16': return new ort.Tensor(type, new Int16Array(buffer), dims);
    case 'int32': return new ort.Tensor(type, new Int32Array(buffer), dims);
    case 'int64': return new ort.Tensor(type, new BigInt64Array(buffer), dims);
    case 'float64': return new ort.Tensor(type, new Float64Array(buffer), dims);
    case 'uint32': return new ort.Tensor(type, new Uint32Array(buffer), dims);
    case 'uint64': return new ort.Tensor(type, new BigUint64Array(buffer), dims);
    case 'string': {
      const strings: string[] = [];
      const view = new DataView(buffer);
      for (let at = 0; at + 4 <= bytes.length; ) {
        const length = view.getUint32(at, true);
        strings.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + length)));
        at += 4 + length;
      }
      return new ort.Tensor('string', strings, dims);
    }
    default: return undefined;
  }
}

/** Output tensors reduced to comparable values: type, dims and the exact bytes (or strings). */
export function outputFingerprint(outputs: ort.InferenceSession.OnnxValueMapType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    const tensor = value as ort.Tensor;
    const data = tensor.data;
    out[name] = {
      type: tensor.type,
      dims: [...tensor.dims],
      data: Array.isArray(data) ? data : Buffer.from((data as ArrayBufferView).buffer, (data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteLength).toString('hex'),
    };
  }
  return out;
}

// Severity 4 (fatal only): models ORT refuses are counted by the tests, not logged.
export const SINGLE_THREAD: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };

/** Runs a model given as bytes on named inputs. */
export async function runModel(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, unknown>> {
  const session = await ort.InferenceSession.create(bytes, SINGLE_THREAD);
  try {
    return outputFingerprint(await session.run(feeds));
  } finally {
    await session.release();
  }
}

export type { Model };
