/**
 * Writing ONNX models: a Model (read, built or transformed) to bytes or to a file. Tensor
 * payloads are copied from their lazy source while the file is written, one piece at a
 * time, so a model with gigabytes of weights is written without holding them in memory.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataType, type Model, type Tensor, type TensorData } from './model';
import { locationProblem } from './readExternalData';
import type { Part } from './writeEncoder';
import { allTensors, encodeModel, encodeTensorMessage, type Prefetched } from './writeProto';
import { mapModelTensors } from './writeTransform';

export interface WriteOptions {
  readonly signal?: AbortSignal;
}

export interface WriteFileOptions extends WriteOptions {
  /**
   * Store large tensor payloads in one external data file next to the model (ONNX external
   * data, offsets aligned to 4096 bytes). Tensors already external in the source are always
   * moved there, so the written model never depends on the files of the model it came from.
   */
  readonly externalData?: {
    /** File name relative to the model's folder, e.g. `model.onnx.data`. */
    readonly location: string;
    /** Payloads of at least this many bytes go to the external file (default 1024). */
    readonly threshold?: number;
  };
}

const WRITE_BATCH = 1 << 20;
/** Protobuf messages (and so single-file ONNX models) cannot exceed 2 GiB. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;
const EXTERNAL_ALIGNMENT = 4096;

/**
 * Serialises `model` to one buffer. External data references are written as they are, so
 * the result is only complete next to the same external files.
 */
export async function writeModelBytes(model: Model, options: WriteOptions = {}): Promise<Uint8Array> {
  const parts = encodeModel(model, await prefetch(allTensors(model), options.signal)).parts();
  checkSize(parts);
  return concatParts(parts, options.signal);
}

function checkSize(parts: readonly Part[]): void {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  if (total > PROTOBUF_LIMIT) {
    throw new Error(
      `the model would be ${(total / 2 ** 30).toFixed(2)} GiB in one file, over the 2 GiB limit of protobuf; write it with external data (writeModelFile option externalData)`,
    );
  }
}

/** Serialises one TensorProto (e.g. conformance test inputs). */
export async function writeTensorBytes(tensor: Tensor, options: WriteOptions = {}): Promise<Uint8Array> {
  const parts = encodeTensorMessage(tensor, await prefetch([tensor], options.signal)).parts();
  return concatParts(parts, options.signal);
}

/**
 * Writes `model` to `path` through a temporary file in the same folder that is renamed into
 * place at the end, so a failed or cancelled write leaves any existing file untouched.
 * Reading lazy weights from the file being replaced is fine; the model read from it goes
 * stale once the new file is in place.
 */
export async function writeModelFile(model: Model, path: string, options: WriteFileOptions = {}): Promise<{ bytes: number; externalBytes?: number }> {
  const { signal } = options;
  let prefetched = await prefetch(allTensors(model), signal);
  let externalBytes: number | undefined;
  if (options.externalData !== undefined) {
    const planned = planExternalData(model, prefetched, options.externalData.location, options.externalData.threshold ?? 1024, signal);
    externalBytes = await writeFileAtomically(join(dirname(path), options.externalData.location), planned.pieces, signal);
    model = planned.model;
    prefetched = planned.prefetched;
  }
  const parts = encodeModel(model, prefetched).parts();
  checkSize(parts);
  const bytes = await writeFileAtomically(path, pieces(parts, signal), signal);
  return externalBytes === undefined ? { bytes } : { bytes, externalBytes };
}

interface ExternalPlan {
  readonly model: Model;
  readonly prefetched: Prefetched;
  /** The external data file's content, in order (payloads and alignment padding). */
  readonly pieces: Iterable<AsyncIterable<Uint8Array>>;
}

function planExternalData(model: Model, prefetched: Prefetched, location: string, threshold: number, signal: AbortSignal | undefined): ExternalPlan {
  const problem = locationProblem(location);
  if (problem !== undefined || location === '') throw new Error(`external data location "${location}" cannot be used: ${problem ?? 'it is empty'}`);
  const sources: { data: TensorData; bytes: Uint8Array | undefined; offset: number; length: number }[] = [];
  // A payload shared by several tensors is stored once.
  const moved = new Map<TensorData, { target: TensorData; offset: number }>();
  let end = 0;
  const mapped = mapModelTensors(model, (t) => {
    if (t.dataType === DataType.STRING) return t;
    const bytes = prefetched.get(t.data);
    const length = bytes?.length ?? t.data.byteLength;
    if (length === undefined || (t.data.location !== 'external' && length < threshold)) return t;
    let placed = moved.get(t.data);
    if (placed === undefined) {
      const source = t.data;
      const offset = Math.ceil(end / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
      placed = { target: { location: 'external', byteLength: length, externalPath: location, read: (s) => source.read(s) }, offset };
      moved.set(source, placed);
      sources.push({ data: source, bytes, offset, length });
      end = offset + length;
    }
    return {
      ...t,
      data: placed.target,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(placed.offset) },
        { key: 'length', value: String(length) },
      ],
    };
  });
  function* filePieces(): Generator<AsyncIterable<Uint8Array>> {
    let at = 0;
    for (const s of sources) {
      if (s.offset > at) yield once(new Uint8Array(s.offset - at));
      yield s.bytes !== undefined ? once(s.bytes) : checkedPayload(s.data, s.length, signal);
      at = s.offset + s.length;
    }
  }
  return { model: mapped, prefetched, pieces: { [Symbol.iterator]: () => filePieces() } };
}

async function writeFileAtomically(path: string, content: Iterable<AsyncIterable<Uint8Array>>, signal: AbortSignal | undefined): Promise<number> {
  signal?.throwIfAborted();
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fsp.open(temp, 'w');
  let written = 0;
  try {
    let batch: Uint8Array[] = [];
    let batched = 0;
    const drain = async (): Promise<void> => {
      if (batch.length === 0) return;
      await handle.writev(batch);
      written += batched;
      batch = [];
      batched = 0;
    };
    for (const piece of content) {
      for await (const bytes of piece) {
        signal?.throwIfAborted();
        batch.push(bytes);
        batched += bytes.length;
        // Large pieces are written at once: batching gains nothing for them, and a payload
        // stream may reuse its buffer for the next piece.
        if (batched >= WRITE_BATCH || batch.length >= 512 || bytes.length >= 1 << 16) await drain();
      }
    }
    await drain();
    await handle.close();
    await fsp.rename(temp, path);
    return written;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw e;
  }
}

/** Each part as an async sequence of byte arrays, checking payloads have the announced length. */
function* pieces(parts: readonly Part[], signal: AbortSignal | undefined): Generator<AsyncIterable<Uint8Array>> {
  for (const part of parts) {
    if (part instanceof Uint8Array) yield once(part);
    else if (part.bytes !== undefined) yield once(part.bytes);
    else yield checkedPayload(part.data, part.length, signal);
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function* checkedPayload(data: TensorData, length: number, signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  signal?.throwIfAborted();
  let seen = 0;
  const source = data.chunks !== undefined ? data.chunks(signal) : once(await data.read(signal));
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > length) break;
    yield chunk;
  }
  if (seen !== length) throw new Error(`tensor payload is ${seen} bytes, but its byteLength says ${length}; the data source changed while writing`);
}

async function concatParts(parts: readonly Part[], signal: AbortSignal | undefined): Promise<Uint8Array> {
  let total = 0;
  for (const part of parts) total += part instanceof Uint8Array ? part.length : part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces(parts, signal)) {
    for await (const bytes of piece) {
      out.set(bytes, at);
      at += bytes.length;
    }
  }
  return out;
}

/** Reads payloads whose size is unknown until read (packed varint fields) and string tensors. */
async function prefetch(tensors: Iterable<Tensor>, signal: AbortSignal | undefined): Promise<Prefetched> {
  const fetched = new Map<TensorData, Uint8Array>();
  for (const t of tensors) {
    if (t.data.location === 'external' || fetched.has(t.data)) continue;
    if (t.data.byteLength === undefined || t.dataType === DataType.STRING) fetched.set(t.data, await t.data.read(signal));
  }
  return fetched;
}
