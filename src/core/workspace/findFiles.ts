import { dirname, join, resolve } from 'node:path';
import type { FileSystem } from '../fs';

/** Folders never searched: dependencies, VCS data, build output and our own run store. */
const skippedFolders = new Set(['node_modules', '.git', '.aios', 'dist', 'out', '.vscode-test']);

/** A search stops (with an error) after this many folders: a home folder or a disk, not a project. */
export const MAX_SEARCHED_FOLDERS = 20_000;

export const useCaseSuffixes = ['.usecase.yaml', '.usecase.yml'] as const;
export const socSuffixes = ['.soc.yaml', '.soc.yml'] as const;

/**
 * Expands files and folders into the files whose names end with one of `suffixes`,
 * sorted for stable output. A file given explicitly is kept whatever its name.
 * Throws an `Error` naming the path when a given path does not exist, is the root of the file
 * system, or holds more than `maxFolders` folders (searching those would read a whole disk).
 */
export async function findFiles(
  fs: FileSystem,
  paths: readonly string[],
  suffixes: readonly string[],
  signal?: AbortSignal,
  maxFolders = MAX_SEARCHED_FOLDERS,
): Promise<string[]> {
  const found = new Set<string>();
  let folders = 0;
  const walk = async (dir: string, given: string): Promise<void> => {
    signal?.throwIfAborted();
    if (++folders > maxFolders) throw new Error(`${given}: holds more than ${maxFolders.toLocaleString('en-US')} folders; name the folder of your use cases instead`);
    for (const entry of await fs.readDirectory(dir)) {
      const path = join(dir, entry.name);
      if (entry.type === 'directory') {
        if (!skippedFolders.has(entry.name)) await walk(path, given);
      } else if (suffixes.some((s) => entry.name.endsWith(s))) {
        found.add(path);
      }
    }
  };
  for (const path of paths) {
    const stat = await fs.stat(path);
    if (!stat) throw new Error(`${path}: no such file or folder`);
    if (stat.type === 'directory') {
      if (dirname(resolve(path)) === resolve(path)) throw new Error(`${path}: is the root of the file system; name the folder of your use cases instead of searching the whole disk`);
      await walk(path, path);
    } else found.add(path);
  }
  return [...found].sort();
}
