/**
 * Writing ONNX models: a Model (read, built or transformed) to bytes or to a file. Tensor
 * payloads are copied from their lazy source while the file is written, one piece at a
 * time, so a model with gigabytes of weights is written without holding them in memory.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataType, type Model, type Tensor, type TensorData } from './model';
import type { Part } from './writeEncoder';
import { allTensors, encodeModel, encodeTensorMessage, type Prefetched } from './writeProto';

export interface WriteOptions {
  readonly signal?: AbortSignal;
}

const WRITE_BATCH = 1 << 20;

/**
 * Serialises `model` to one buffer. External data references are written as they are, so
 * the result is only complete next to the same external files.
 */
export async function writeModelBytes(model: Model, options: WriteOptions = {}): Promise<Uint8Array> {
  const parts = encodeModel(model, await prefetch(allTensors(model), options.signal)).parts();
  return concatParts(parts, options.signal);
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
export async function writeModelFile(model: Model, path: string, options: WriteOptions = {}): Promise<{ bytes: number }> {
  const { signal } = options;
  const parts = encodeModel(model, await prefetch(allTensors(model), signal)).parts();
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
    for (const piece of pieces(parts, signal)) {
      for await (const bytes of piece) {
        batch.push(bytes);
        batched += bytes.length;
        if (batched >= WRITE_BATCH || batch.length >= 512) await drain();
      }
    }
    await drain();
    await handle.close();
    await fsp.rename(temp, path);
    return { bytes: written };
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
