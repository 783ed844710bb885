import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileDigest } from './runRecord';

/** sha256 (hex) of a file, streamed so a large model is never held in memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Digests of the files that can be read; `skipped` says why the others were left out. */
export async function digestFiles(paths: readonly string[]): Promise<{ digests: FileDigest[]; skipped: string[] }> {
  const results = await Promise.allSettled(paths.map(async (path) => ({ path, sha256: await sha256File(path) })));
  const digests: FileDigest[] = [];
  const skipped: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') digests.push(r.value);
    else skipped.push(`${paths[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
  });
  return { digests, skipped };
}
