/**
 * The one way the core opens files it did not write: regular files only (a named pipe would
 * block the reader forever, `/dev/zero` never ends), opened without blocking, with a size limit,
 * and, when a root is given, only if the real path (symlinks followed) stays inside it.
 */
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, statSync } from 'node:fs';
import { InputError } from '../inputError';
import { isInside } from './pathInside';

/** Bigger than any use-case, SoC or text file we read; big enough for a calibration sample. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface OpenOptions {
  /** Refuse the file when its real path (after symlinks) leaves this folder. */
  readonly root?: string;
  /** How the file is named in messages (default: its path). */
  readonly shown?: string;
}

export interface ReadOptions extends OpenOptions {
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** A file that cannot be used as input: not regular, too big, outside the root, unreadable. */
export class FileRefusedError extends InputError {
  override readonly name: string = 'FileRefusedError';
  constructor(
    /** The file as named in the message. */
    readonly shown: string,
    /** What is wrong with it, without the name. */
    readonly reason: string,
    readonly code: string,
  ) {
    super(`${shown}: ${reason}`);
  }
}

export function kindOf(stats: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Human words for a file system error code, or undefined for codes that are not about the file. */
export function fileErrorReason(code: unknown): string | undefined {
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ELOOP': return 'too many levels of symbolic links (a link loop?)';
    case 'ENAMETOOLONG': return 'the path is too long';
    case 'ENXIO': return 'no such device or address (a socket or a device without a driver?)';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EEXIST': return 'already exists';
    case 'EMFILE': case 'ENFILE': return 'too many open files';
    case 'EIO': return 'input/output error';
    case 'EBUSY': return 'the file is busy';
    case 'EFBIG': return 'the file is too large';
    case 'EINVAL': return 'invalid argument';
    default: return undefined;
  }
}

/** An fs error as a FileRefusedError naming `shown` (default: the error's own path); other errors pass through unchanged. */
export function asFileError(error: unknown, shown?: string): unknown {
  if (error instanceof InputError) return error;
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  const reason = fileErrorReason(code);
  if (!reason) return error;
  return new FileRefusedError(shortPath(shown ?? (typeof path === 'string' ? path : 'a file')), reason, String(code));
}

/** A path fit for a one-line message: a 5,000-character path keeps its start and end. */
export function shortPath(path: string): string {
  return path.length <= 240 ? path : `${path.slice(0, 120)}…${path.slice(-100)}`;
}

/**
 * Opens `path` for reading: refuses anything but a regular file (without blocking on a FIFO)
 * and, with `root`, a file whose real path leaves it. The caller closes the handle.
 */
export async function openRegularFile(path: string, options: OpenOptions = {}): Promise<fsp.FileHandle> {
  const shown = options.shown ?? path;
  if (options.root !== undefined) await assertInsideRoot(path, options.root, shown);
  let handle: fsp.FileHandle;
  try {
    // Opening a device can act on it (a tape rewinds, a tty is claimed): look before opening; fstat below catches a swap in between.
    const before = await fsp.stat(path);
    if (!before.isFile()) throw new FileRefusedError(shown, `is ${kindOf(before)}, not a regular file`, 'ENOTREG');
    handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw asFileError(e, shown);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FileRefusedError(shown, `is ${kindOf(stats)}, not a regular file`, 'ENOTREG');
    return handle;
  } catch (e) {
    await handle.close();
    throw asFileError(e, shown);
  }
}

/** Refuses `path` when its real path (symlinks followed) is outside the real `root`. */
export async function assertInsideRoot(path: string, root: string, shown = path): Promise<void> {
  const realRoot = await fsp.realpath(root).catch(() => root);
  let real: string;
  try {
    real = await fsp.realpath(path);
  } catch (e) {
    throw asFileError(e, shown);
  }
  if (!isInside(realRoot, real)) {
    throw new FileRefusedError(shown, `resolves to ${real}, outside the workspace ${realRoot}; keep referenced files inside it`, 'EOUTSIDE');
  }
}

/** Reads a whole regular file of at most `maxBytes` (default DEFAULT_MAX_FILE_BYTES). */
export async function readRegularFile(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const shown = options.shown ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  options.signal?.throwIfAborted();
  const handle = await openRegularFile(path, options);
  try {
    const size = (await handle.stat()).size;
    if (size > maxBytes) throw new FileRefusedError(shown, `is ${size} bytes, more than the ${maxBytes} bytes this file may have`, 'ETOOBIG');
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(out, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? out : out.subarray(0, filled);
  } catch (e) {
    throw asFileError(e, shown);
  } finally {
    await handle.close();
  }
}

/** readRegularFile for the few synchronous readers (a use case read while resolving settings). */
export function readRegularFileSync(path: string, options: { maxBytes?: number; shown?: string } = {}): Uint8Array {
  const shown = options.shown ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  let fd: number;
  try {
    const before = statSync(path);
    if (!before.isFile()) throw new FileRefusedError(shown, `is ${kindOf(before)}, not a regular file`, 'ENOTREG');
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw asFileError(e, shown);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefusedError(shown, `is ${kindOf(stats)}, not a regular file`, 'ENOTREG');
    if (stats.size > maxBytes) throw new FileRefusedError(shown, `is ${stats.size} bytes, more than the ${maxBytes} bytes this file may have`, 'ETOOBIG');
    const out = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < out.length) {
      const read = readSync(fd, out, filled, out.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  } catch (e) {
    throw asFileError(e, shown);
  } finally {
    closeSync(fd);
  }
}
