import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { findFiles } from '../../core/workspace/findFiles';
import { UsageError } from '../errors';
import { asFileError, kindOf } from '../../core/files/regularFile';
import type { CliIo } from '../io';

/**
 * A path named on the command line as input (a use case, a model, a folder of them) must be a
 * regular file or a folder, symlinks followed: a FIFO would block the reader, `/dev/zero` never
 * ends. Refused with one line (exit 2) before any run starts. Returns the absolute path.
 * (A path that does not exist is left to the command, which names it its own way.)
 */
export function inputPathArgument(io: CliIo, path: string, folderAllowed = false): string {
  const absolute = resolve(io.cwd, path);
  // A path that cannot be examined (missing, a link loop) is left to the command's own message.
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    return absolute;
  }
  if (stats.isFile() || (folderAllowed && stats.isDirectory())) return absolute;
  throw new UsageError(`${path}: is ${kindOf(stats)}, not a regular file${folderAllowed ? ' or folder' : ''}`);
}

/** The files with `suffixes` under the paths given (the current folder when none); an unreadable path is a usage error. */
export async function filesUnderArguments(io: CliIo, paths: readonly string[], suffixes: readonly string[]): Promise<{ roots: string[]; files: string[] }> {
  const roots = (paths.length > 0 ? paths : ['.']).map((p) => inputPathArgument(io, p, true));
  try {
    return { roots, files: await findFiles(nodeFileSystem, roots, suffixes) };
  } catch (e) {
    const plain = asFileError(e);
    throw new UsageError(plain instanceof Error ? plain.message : String(plain));
  }
}
