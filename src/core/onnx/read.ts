/**
 * Reading ONNX models. A file is parsed through a 1 MiB window and tensor payloads are
 * skipped, so opening a model costs time and memory in proportion to its graph, not its
 * weights; `Tensor.data.read()` fetches a payload when someone needs it.
 */
import { readSync, promises as fsp, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Model, Tensor } from './model';
import { Cursor } from './proto/cursor';
import { OnnxFormatError } from './readErrors';
import { readFully, resolveExternalFile } from './readExternalData';
import { openRegularFile } from '../files/regularFile';
import { ModelParser } from './readProto';
import type { PayloadSource } from './readTensorData';

export { OnnxFormatError, ExternalDataError } from './readErrors';
export { MAX_GRAPH_DEPTH, MAX_MESSAGE_DEPTH } from './readProto';

export interface ReadOptions {
  readonly signal?: AbortSignal;
  /**
   * Folder that external data is resolved against and may not leave. readModelFile uses the
   * model's folder; for readModelBytes external data is unreadable unless this is given.
   */
  readonly externalDataDir?: string;
  /** Name used in error messages for readModelBytes (e.g. the original file name). */
  readonly sourceName?: string;
}

const CHUNK = 4 << 20;

/** Opens a model file: parses everything but the tensor payloads, which stay in the file. */
export async function readModelFile(path: string, options: ReadOptions = {}): Promise<Model> {
  const { signal } = options;
  signal?.throwIfAborted();
  const handle = await openRegularFile(path);
  try {
    const stats = await handle.stat();
    const fd = handle.fd;
    const cursor = Cursor.overSource({
      size: stats.size,
      readInto: (target, offset) => readSync(fd, target, 0, target.length, offset),
    });
    cursor.onRefill = () => signal?.throwIfAborted();
    const modelDir = options.externalDataDir ?? dirname(resolve(path));
    const parser = new ModelParser(cursor, fileSource(path, stats), { modelDir, file: path, signal, copySmallPayloads: true });
    const model = parser.parseModel();
    for (const location of parser.externalLocations) await resolveExternalFile(modelDir, location);
    return model;
  } finally {
    await handle.close();
  }
}

/** Parses a model held in memory. Tensor data are views of `bytes`, which must not change afterwards. */
export function readModelBytes(bytes: Uint8Array, options: ReadOptions = {}): Model {
  options.signal?.throwIfAborted();
  const parser = new ModelParser(Cursor.overBytes(bytes), memorySource(bytes, options.sourceName ?? 'buffer'), {
    modelDir: options.externalDataDir,
    file: options.sourceName,
    signal: options.signal,
  });
  return parser.parseModel();
}

/** Parses a serialized TensorProto (e.g. the input_0.pb files of the ONNX conformance tests). */
export function readTensorBytes(bytes: Uint8Array, options: ReadOptions = {}): Tensor {
  const parser = new ModelParser(Cursor.overBytes(bytes), memorySource(bytes, options.sourceName ?? 'buffer'), {
    modelDir: options.externalDataDir,
    file: options.sourceName,
    signal: options.signal,
  });
  return parser.parseTensor();
}

function memorySource(buffer: Uint8Array, description: string): PayloadSource {
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    description,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
    async *chunks(offset, length) {
      for (let at = 0; at < length; at += CHUNK) yield bytes.subarray(offset + at, offset + Math.min(length, at + CHUNK));
    },
  };
}

/** Reads payloads from the model file, refusing if the file changed since it was parsed. */
function fileSource(path: string, opened: Stats): PayloadSource {
  async function open(): Promise<fsp.FileHandle> {
    const handle = await openRegularFile(path);
    const now = await handle.stat();
    if (now.size !== opened.size || now.mtimeMs !== opened.mtimeMs) {
      await handle.close();
      throw new OnnxFormatError(`model file ${path} changed since it was opened; open it again`, undefined, '');
    }
    return handle;
  }
  return {
    description: path,
    async read(offset, length, signal) {
      const handle = await open();
      try {
        const out = new Uint8Array(length);
        await readFully(handle, out, offset, signal);
        return out;
      } finally {
        await handle.close();
      }
    },
    async *chunks(offset, length, signal) {
      const handle = await open();
      try {
        for (let done = 0; done < length; ) {
          const piece = new Uint8Array(Math.min(CHUNK, length - done));
          await readFully(handle, piece, offset + done, signal);
          done += piece.length;
          yield piece;
        }
      } finally {
        await handle.close();
      }
    },
  };
}
