import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { openRegularFile, readRegularFile } from './files/regularFile';

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
  /** The path with every symbolic link resolved, where the file system has them. */
  realPath?(path: string): Promise<string>;
}

export const nodeFileSystem: FileSystem = {
  // Regular files only, size-limited: a FIFO or /dev/zero named as a use case must not hang or fill memory.
  async readFile(path, signal) {
    return readRegularFile(path, signal ? { signal } : {});
  },
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { type: s.isDirectory() ? 'directory' : 'file', size: s.size, mtimeMs: s.mtimeMs };
    } catch (e) {
      // ENOTDIR: a part of the path is a file (`.aios` as a file): nothing exists there either.
      if (isNotFound(e) || (e as { code?: unknown }).code === 'ENOTDIR') return undefined;
      throw e;
    }
  },
  realPath: (path) => fsp.realpath(path),
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

/** sha256 (hex) of a regular file, streamed so a large model is never held in memory. */
export async function sha256File(path: string): Promise<string> {
  const handle = await openRegularFile(path);
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    handle
      .createReadStream()
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
