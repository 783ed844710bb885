import { homedir, tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import type { FileSystem } from '../fs';

/**
 * The workspace root rule, for the paths files refer to (model.path, evidence, calibration
 * data, external weights, `.aios/targets`): they must stay inside it, symlinks included.
 *
 * - In the editor: the workspace folder that holds the file.
 * - In the CLI: the nearest folder at or above the file (or, without a file, the current folder)
 *   that holds a `.aios/` folder; if there is none, the file's own folder. A `.aios/` in the
 *   file-system root or in a home folder does not count: those are never a workspace root, so
 *   `cd /`, a stray `~/.aios` or `/tmp/.aios` cannot widen what a use case may read.
 *
 * `.git`, `package.json` or `.vscode` do not make a root: a parent project would then widen it.
 * Paths a user names on the command line are their own choice and are not checked.
 */
export const workspaceMarker = '.aios';

/**
 * Folders that are never a workspace root by marker: the file-system root, home folders and the
 * shared temporary folder (any `aios run` started there leaves a `.aios/runs` behind).
 */
export function neverRoot(dir: string, home: string = homedir()): boolean {
  return dir === parse(dir).root || dir === home || dirname(dir) === '/home' || dir === '/root' || dir === '/tmp' || dir === tmpdir();
}

/** The CLI's workspace root for `file` (see the module comment). */
export async function findWorkspaceRoot(fs: FileSystem, file: string, home?: string): Promise<string> {
  return workspaceRootAbove(fs, dirname(file), home);
}

/** The CLI's workspace root for work started in `folder` (no file): nearest `.aios/` above, else `folder`. */
export async function workspaceRootAbove(fs: FileSystem, folder: string, home?: string): Promise<string> {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (!neverRoot(dir, home) && (await fs.stat(join(dir, workspaceMarker)))?.type === 'directory') return dir;
    if (dirname(dir) === dir) return folder;
  }
}
