/**
 * External tensor data (data_location = EXTERNAL): a segment of a file next to the model.
 * The file must stay inside the model's folder: no absolute paths, no `..`, no symlink out.
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { RandomAccessPayload, StringEntry, TensorData } from './model';
import { ExternalDataError, OnnxFormatError } from './readErrors';
import { asFileError, openRegularFile } from '../files/regularFile';

const READ_CHUNK = 4 << 20;

export interface ExternalReference {
  readonly location: string;
  readonly offset: number;
  readonly length: number | undefined;
}

/**
 * Parses the external_data entries of a tensor; throws (with `where` in the message) when the
 * location is missing or leaves the model folder, or offset/length are not byte counts.
 */
export function parseExternalReference(entries: readonly StringEntry[], where: (problem: string) => ExternalDataError): ExternalReference {
  let location: string | undefined;
  let offset = 0;
  let length: number | undefined;
  for (const { key, value } of entries) {
    if (key === 'location') location = value;
    else if (key === 'offset') offset = parseByteCount(value, 'offset', where);
    else if (key === 'length') length = parseByteCount(value, 'length', where);
  }
  if (location === undefined || location === '') throw where('external data without a "location" entry');
  const problem = locationProblem(location);
  if (problem !== undefined) throw where(`external data location "${location}" is refused: ${problem}`);
  return { location, offset, length };
}

function parseByteCount(value: string, key: string, where: (problem: string) => ExternalDataError): number {
  if (!/^\d{1,15}$/.test(value.trim())) throw where(`external data "${key}" is "${value}", expected a byte count`);
  return Number(value.trim());
}

/** Why a location may not be used, judged from its text alone. */
export function locationProblem(location: string): string | undefined {
  if (location.includes('\0')) return 'it contains a NUL character';
  if (isAbsolute(location) || /^[a-zA-Z]:/.test(location) || location.startsWith('\\') || location.startsWith('/')) {
    return 'absolute paths are not allowed; external data must be next to the model';
  }
  if (location.split(/[\\/]/).some((part) => part === '..')) return 'it leaves the model folder ("..")';
  return undefined;
}

/**
 * Resolves `location` inside `modelDir` following symlinks; throws if the real path leaves
 * the folder. Returns undefined when the file does not exist.
 */
export async function resolveExternalFile(modelDir: string, location: string): Promise<string | undefined> {
  const realDir = await fsp.realpath(modelDir);
  let real: string;
  try {
    real = await fsp.realpath(join(modelDir, location));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw asFileError(e, `external data file "${location}"`);
  }
  const inside = real.startsWith(realDir.endsWith(sep) ? realDir : realDir + sep);
  if (!inside) {
    throw new ExternalDataError(`external data "${location}" is refused: it resolves to ${real}, outside the model folder ${realDir}`, undefined, '');
  }
  return real;
}

export class ExternalTensorData implements TensorData {
  readonly location = 'external' as const;
  readonly byteLength: number | undefined;
  readonly externalPath: string;

  constructor(
    private readonly modelDir: string | undefined,
    private readonly reference: ExternalReference,
    private readonly fieldPath: string,
  ) {
    this.byteLength = reference.length;
    this.externalPath = reference.location;
  }

  private fail(problem: string): ExternalDataError {
    return new ExternalDataError(problem, undefined, this.fieldPath);
  }

  private async open(): Promise<{ handle: fsp.FileHandle; length: number }> {
    const { location, offset, length } = this.reference;
    if (this.modelDir === undefined) {
      throw this.fail(`external data "${location}" cannot be read: the model was read from memory without a folder (pass externalDataDir)`);
    }
    const file = await resolveExternalFile(this.modelDir, location);
    if (file === undefined) throw this.fail(`external data file "${location}" not found in ${resolve(this.modelDir)}`);
    const handle = await openRegularFile(file, { shown: `external data file "${location}"` });
    try {
      const size = (await handle.stat()).size;
      const wanted = length ?? size - offset;
      if (offset > size || offset + wanted > size) {
        throw this.fail(`external data "${location}" is ${size} bytes, but the tensor wants bytes ${offset} to ${offset + wanted}`);
      }
      return { handle, length: wanted };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(signal?: AbortSignal): Promise<Uint8Array> {
    const { handle, length } = await this.open();
    try {
      const out = new Uint8Array(length);
      await readFully(handle, out, this.reference.offset, signal);
      return out;
    } finally {
      await handle.close();
    }
  }

  async openRandomAccess(): Promise<RandomAccessPayload> {
    const { handle, length } = await this.open();
    const start = this.reference.offset;
    return {
      byteLength: length,
      readAt: async (position, count, signal) => {
        if (position < 0 || position + count > length) throw this.fail(`read of bytes ${position} to ${position + count} is outside the ${length}-byte payload`);
        const out = new Uint8Array(count);
        await readFully(handle, out, start + position, signal);
        return out;
      },
      close: () => handle.close(),
    };
  }

  async *chunks(signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const { handle, length } = await this.open();
    try {
      for (let done = 0; done < length; ) {
        const piece = new Uint8Array(Math.min(READ_CHUNK, length - done));
        await readFully(handle, piece, this.reference.offset + done, signal);
        done += piece.length;
        yield piece;
      }
    } finally {
      await handle.close();
    }
  }
}

export async function readFully(handle: fsp.FileHandle, target: Uint8Array, position: number, signal?: AbortSignal): Promise<void> {
  for (let filled = 0; filled < target.length; ) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(target, filled, Math.min(target.length - filled, READ_CHUNK), position + filled);
    if (bytesRead === 0) throw new OnnxFormatError('file ended early (was it truncated after it was opened?)', position + filled, '');
    filled += bytesRead;
  }
}
