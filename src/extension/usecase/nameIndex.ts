import * as vscode from 'vscode';
import { useCaseName } from '../../core/usecase/validateUseCase';
import { Disposable } from '../util/dispose';

export const useCaseGlob = '**/*.{usecase.yaml,usecase.yml}';
export const excludedFolders = '**/{node_modules,.git,out,dist,.vscode-test}/**';

/**
 * The name of every use case in the workspace, kept current from the files on disk and the
 * open editors (an unsaved edit counts), for the unique-name check and the new-use-case wizard.
 */
export class UseCaseNameIndex extends Disposable {
  private readonly byFile = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when a name is added, removed or renamed. */
  readonly onDidChange = this.changed.event;
  readonly ready: Promise<void>;

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(useCaseGlob));
    this._register(watcher.onDidCreate((uri) => void this.readFromDisk(uri)));
    this._register(watcher.onDidChange((uri) => void this.readFromDisk(uri)));
    this._register(watcher.onDidDelete((uri) => this.set(uri.fsPath, undefined)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.fromDocument(e.document)));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.fromDocument(d)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => d.languageId === 'aios-usecase' && d.uri.scheme === 'file' && void this.readFromDisk(d.uri)));
    this.ready = this.scan();
  }

  /** Use cases other than `file`, as the core's unique-name check wants them. */
  others(file: string): Array<{ name: string; file: string }> {
    return [...this.byFile].filter(([f]) => f !== file).map(([f, name]) => ({ name, file: f }));
  }

  names(): Set<string> {
    return new Set(this.byFile.values());
  }

  private async scan(): Promise<void> {
    const files = await vscode.workspace.findFiles(useCaseGlob, excludedFolders);
    await Promise.all(files.map((uri) => this.readFromDisk(uri)));
    for (const d of vscode.workspace.textDocuments) this.fromDocument(d);
  }

  private fromDocument(document: vscode.TextDocument): void {
    if (document.languageId !== 'aios-usecase' || document.uri.scheme !== 'file') return;
    this.set(document.uri.fsPath, useCaseName(document.getText()));
  }

  private async readFromDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) return;
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.set(uri.fsPath, useCaseName(text));
    } catch {
      this.set(uri.fsPath, undefined);
    }
  }

  private set(file: string, name: string | undefined): void {
    if (this.isDisposed || this.byFile.get(file) === name) return;
    if (name === undefined) this.byFile.delete(file);
    else this.byFile.set(file, name);
    this.changed.fire();
  }
}
