import * as vscode from 'vscode';
import type { FileStat, FileSystem, FileType } from '../../core/fs';
import { DEFAULT_MAX_FILE_BYTES, FileRefusedError } from '../../core/files/regularFile';

function kindOf(type: vscode.FileType): FileType | undefined {
  if (type & vscode.FileType.Directory) return 'directory';
  if (type & vscode.FileType.File) return 'file';
  return undefined;
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
}

/** The core's FileSystem over `vscode.workspace.fs`, so the editor reads what VS Code sees. */
export const workspaceFileSystem: FileSystem = {
  async readFile(path, signal) {
    signal?.throwIfAborted();
    // A FIFO or device would block or never end: VS Code reports them as neither file nor folder.
    const stat = await vscode.workspace.fs.stat(vscode.Uri.file(path));
    if (!(stat.type & vscode.FileType.File)) throw new FileRefusedError(path, 'is not a regular file', 'ENOTREG');
    if (stat.size > DEFAULT_MAX_FILE_BYTES) throw new FileRefusedError(path, `is ${stat.size} bytes, more than the ${DEFAULT_MAX_FILE_BYTES} bytes this file may have`, 'ETOOBIG');
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(path));
    signal?.throwIfAborted();
    return bytes;
  },
  async stat(path): Promise<FileStat | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(vscode.Uri.file(path));
      return { type: kindOf(s.type) ?? 'file', size: s.size, mtimeMs: s.mtime };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },
  async readDirectory(path) {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(path));
    return entries.flatMap(([name, type]) => {
      const kind = kindOf(type);
      return kind ? [{ name, type: kind }] : [];
    });
  },
};
