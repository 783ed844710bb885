import { join } from 'node:path';
import type { FileSystem } from '../fs';

/** Folders never searched: dependencies, VCS data, build output and our own run store. */
const skippedFolders = new Set(['node_modules', '.git', '.aios', 'dist', 'out', '.vscode-test']);

export const useCaseSuffixes = ['.usecase.yaml', '.usecase.yml'] as const;
export const socSuffixes = ['.soc.yaml', '.soc.yml'] as const;

/**
 * Expands files and folders into the files whose names end with one of `suffixes`,
 * sorted for stable output. A file given explicitly is kept whatever its name.
 * Throws an `Error` naming the path when a given path does not exist.
 */
export async function findFiles(
  fs: FileSystem,
  paths: readonly string[],
  suffixes: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    for (const entry of await fs.readDirectory(dir)) {
      const path = join(dir, entry.name);
      if (entry.type === 'directory') {
        if (!skippedFolders.has(entry.name)) await walk(path);
      } else if (suffixes.some((s) => entry.name.endsWith(s))) {
        found.add(path);
      }
    }
  };
  for (const path of paths) {
    const stat = await fs.stat(path);
    if (!stat) throw new Error(`${path}: no such file or folder`);
    if (stat.type === 'directory') await walk(path);
    else found.add(path);
  }
  return [...found].sort();
}
