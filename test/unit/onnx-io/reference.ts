/**
 * Independent references for the ONNX reader/writer tests: protobufjs decoding onnx.proto,
 * python3-onnx (Debian) building models, and Debian's conformance data.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { ONNX_PROTO_SCHEMA } from '../../../src/core/onnx/proto/onnxSchema';

/** Debian's ONNX conformance data; AIOS_TESTDATA_DIR points elsewhere (e.g. an empty folder, to see the skips). */
export const TESTDATA = process.env['AIOS_TESTDATA_DIR'] ?? '/usr/share/libonnx-testdata/data';
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

const root = protobuf.parse(ONNX_PROTO_SCHEMA, { keepCase: true }).root;
export const ModelProtoType = root.lookupType('onnx.ModelProto');
export const TensorProtoType = root.lookupType('onnx.TensorProto');

/** A plain object of a decoded message: int64 as decimal strings, bytes as Uint8Array. */
export type Plain = Record<string, unknown>;

export function decodeWithProtobufjs(type: protobuf.Type, bytes: Uint8Array): Plain {
  return type.toObject(type.decode(bytes), { longs: String, bytes: Uint8Array as unknown as typeof String, defaults: false, arrays: true }) as Plain;
}

/** Every conformance model directory: `<suite>/<test>` with a model.onnx. */
export function conformanceModels(): string[] {
  if (!existsSync(TESTDATA)) return [];
  const found: string[] = [];
  for (const suite of readdirSync(TESTDATA).sort()) {
    for (const test of readdirSync(join(TESTDATA, suite)).sort()) {
      if (existsSync(join(TESTDATA, suite, test, 'model.onnx'))) found.push(join(TESTDATA, suite, test));
    }
  }
  return found;
}

export function hasPythonOnnx(): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs test/unit/onnx-io/make_reference_models.py into `dir`. */
export function makeReferenceModels(dir: string): void {
  execFileSync(SYSTEM_PYTHON, [join(REPO_ROOT, 'test', 'unit', 'onnx-io', 'make_reference_models.py'), dir], { stdio: 'pipe' });
}

/** The raw_data layout of a protobufjs-decoded TensorProto, computed independently of our reader. */
export function expectedRawBytes(t: Plain): Uint8Array {
  const dataType = Number(t['data_type'] ?? 0);
  if (t['raw_data'] instanceof Uint8Array) return t['raw_data'];
  const list = (key: string): unknown[] => (Array.isArray(t[key]) ? (t[key] as unknown[]) : []);
  if (list('float_data').length > 0) return bytesOf(new Float32Array(list('float_data').map(Number)));
  if (list('double_data').length > 0) return bytesOf(new Float64Array(list('double_data').map(Number)));
  if (list('int64_data').length > 0) return bytesOf(new BigInt64Array(list('int64_data').map((v) => BigInt(String(v)))));
  if (list('uint64_data').length > 0) {
    const values = list('uint64_data').map((v) => BigInt(String(v)));
    return dataType === 12 ? bytesOf(new Uint32Array(values.map(Number))) : bytesOf(new BigUint64Array(values));
  }
  if (list('int32_data').length > 0) {
    const values = list('int32_data').map(Number);
    if ([4, 5, 10, 16].includes(dataType)) return bytesOf(new Uint16Array(values));
    if ([2, 3, 9, 17, 18, 19, 20, 21, 22, 23].includes(dataType)) return Uint8Array.from(values.map((v) => v & 0xff));
    return bytesOf(new Int32Array(values));
  }
  if (list('string_data').length > 0) {
    const parts = list('string_data') as Uint8Array[];
    const out: number[] = [];
    for (const s of parts) {
      out.push(s.length & 0xff, (s.length >> 8) & 0xff, (s.length >> 16) & 0xff, (s.length >>> 24) & 0xff, ...s);
    }
    return Uint8Array.from(out);
  }
  return new Uint8Array(0);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
