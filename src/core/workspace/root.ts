import { dirname, join } from 'node:path';
import type { FileSystem } from '../fs';

const workspaceMarkers = ['.aios', '.git', 'package.json', '.vscode'];

/** The nearest folder above `file` that looks like a workspace root; the file's folder if none does. */
export async function findWorkspaceRoot(fs: FileSystem, file: string): Promise<string> {
  let dir = dirname(file);
  for (;;) {
    for (const marker of workspaceMarkers) if (await fs.stat(join(dir, marker))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(file);
    dir = parent;
  }
}
