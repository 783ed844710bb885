import { resolve } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { findFiles } from '../../core/workspace/findFiles';
import { UsageError } from '../errors';
import { asFileError } from '../../core/files/regularFile';
import type { CliIo } from '../io';

/** The files with `suffixes` under the paths given (the current folder when none); an unreadable path is a usage error. */
export async function filesUnderArguments(io: CliIo, paths: readonly string[], suffixes: readonly string[]): Promise<{ roots: string[]; files: string[] }> {
  const roots = (paths.length > 0 ? paths : ['.']).map((p) => resolve(io.cwd, p));
  try {
    return { roots, files: await findFiles(nodeFileSystem, roots, suffixes) };
  } catch (e) {
    const plain = asFileError(e);
    throw new UsageError(plain instanceof Error ? plain.message : String(plain));
  }
}
