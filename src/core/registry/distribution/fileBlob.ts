import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { BlobSource } from '../registry';

const readChunk = 1024 * 1024;

/** A file as a blob to push, read in 1 MiB pieces from any offset; hashes it when no digest is given. */
export async function fileBlob(path: string, known?: { digest: string; size: number }, signal?: AbortSignal): Promise<BlobSource> {
  const { digest, size } = known ?? (await hashFile(path, signal));
  return {
    digest,
    size,
    path,
    open: (start = 0) => createReadStream(path, { start, highWaterMark: readChunk, signal }),
  };
}

export async function hashFile(path: string, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: readChunk, signal }) as AsyncIterable<Buffer>) hash.update(chunk);
  return { digest: `sha256:${hash.digest('hex')}`, size: (await stat(path)).size };
}

/** Bytes in memory as a blob (manifests' configs, small reports). */
export function bytesBlob(bytes: Uint8Array): BlobSource {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return {
    digest,
    size: bytes.length,
    open: (start = 0) => Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start)]),
  };
}
