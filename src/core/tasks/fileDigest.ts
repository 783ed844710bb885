import { sha256File } from '../fs';
import type { FileDigest } from './runRecord';

export { sha256File };


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
