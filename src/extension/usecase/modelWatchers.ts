import { dirname, posix, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { disposeAll } from '../util/dispose';

/** A glob matching one path literally: glob characters in names become single-character wildcards. */
function literalGlob(path: string): string {
  return path.replace(/[*?{}[\]]/g, '?');
}

/**
 * One file watcher per model file that open use cases reference; a change on disk calls
 * `changed` with the model's path and the documents (URI strings) that use it.
 */
export class ModelWatchers implements vscode.Disposable {
  private readonly watchers = new Map<string, { watcher: vscode.FileSystemWatcher; dependents: Set<string> }>();
  private readonly modelOf = new Map<string, string>();

  constructor(private readonly changed: (path: string, dependents: ReadonlySet<string>) => void) {}

  /** The document now references `path` (undefined: no model it could read). */
  set(documentKey: string, path: string | undefined): void {
    const previous = this.modelOf.get(documentKey);
    if (previous === path) return;
    if (previous !== undefined) this.release(documentKey, previous);
    if (path === undefined) {
      this.modelOf.delete(documentKey);
      return;
    }
    this.modelOf.set(documentKey, path);
    let entry = this.watchers.get(path);
    if (!entry) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path));
      const pattern = folder
        ? new vscode.RelativePattern(folder, literalGlob(relative(folder.uri.fsPath, path).split(sep).join(posix.sep)))
        : new vscode.RelativePattern(vscode.Uri.file(dirname(path)), literalGlob(path.slice(dirname(path).length + 1)));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const dependents = new Set<string>();
      const watched = path;
      const onChange = () => this.changed(watched, dependents);
      watcher.onDidCreate(onChange);
      watcher.onDidChange(onChange);
      watcher.onDidDelete(onChange);
      entry = { watcher, dependents };
      this.watchers.set(path, entry);
    }
    entry.dependents.add(documentKey);
  }

  forget(documentKey: string): void {
    this.set(documentKey, undefined);
  }

  private release(documentKey: string, path: string): void {
    const entry = this.watchers.get(path);
    if (!entry) return;
    entry.dependents.delete(documentKey);
    if (entry.dependents.size === 0) {
      entry.watcher.dispose();
      this.watchers.delete(path);
    }
  }

  dispose(): void {
    disposeAll([...this.watchers.values()].map((e) => e.watcher));
    this.watchers.clear();
    this.modelOf.clear();
  }
}
