import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';

export type FileType = 'file' | 'directory';

export interface FileStat {
  readonly type: FileType;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The file access the core needs. The CLI passes `nodeFileSystem`; the extension passes
 * an adapter that also sees unsaved editor contents where that matters.
 */
export interface FileSystem {
  readFile(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** `undefined` when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | undefined>;
  readDirectory(path: string): Promise<ReadonlyArray<{ readonly name: string; readonly type: FileType }>>;
}

export const nodeFileSystem: FileSystem = {
  async readFile(path, signal) {
    return fsp.readFile(path, signal ? { signal } : {});
  },
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { type: s.isDirectory() ? 'directory' : 'file', size: s.size, mtimeMs: s.mtimeMs };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  },
  async readDirectory(path) {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ name: e.name, type: e.isDirectory() ? ('directory' as const) : ('file' as const) }));
  },
};

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

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
