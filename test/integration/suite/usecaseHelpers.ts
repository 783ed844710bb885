import * as vscode from 'vscode';
import type { AiosExtensionApi } from '../../../src/extension/extension';
import { aiosExtension, workspaceRoot } from './util/extension';

/** Shared by the usecase*.test.ts suites: files in the samples copy, and waiting for diagnostics by event. */

export async function activated(): Promise<AiosExtensionApi> {
  return aiosExtension().activate();
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function writeFile(relativePath: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const uri = fileUri(relativePath);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return uri;
}

export async function openFile(relativePath: string, content?: string): Promise<vscode.TextDocument> {
  const uri = content === undefined ? fileUri(relativePath) : await writeFile(relativePath, content);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

export function codesOf(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

export function diagnosticWith(uri: vscode.Uri, code: string): vscode.Diagnostic | undefined {
  return vscode.languages.getDiagnostics(uri).find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === code);
}

/**
 * Resolves when the diagnostics of `uri` satisfy `condition`: checked now and on every
 * `onDidChangeDiagnostics`. The timeout only turns a hang into a readable failure.
 */
export function waitForDiagnostics(uri: vscode.Uri, what: string, condition: (diagnostics: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 15_000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const now = vscode.languages.getDiagnostics(uri);
      if (!condition(now)) return false;
      finish();
      resolve(now);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}; diagnostics now: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character} ${d.message}`))}`));
    }, timeoutMs);
    function finish(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

/** Waits until the diagnostics hold exactly these codes (in any order, with repeats). */
export function waitForCodes(uri: vscode.Uri, codes: readonly string[], timeoutMs?: number): Promise<readonly vscode.Diagnostic[]> {
  const want = [...codes].sort().join(',');
  return waitForDiagnostics(uri, `the diagnostics are [${want}]`, (list) => list.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)).sort().join(',') === want, timeoutMs);
}

export async function replaceText(document: vscode.TextDocument, search: string, replacement: string): Promise<void> {
  const offset = document.getText().indexOf(search);
  if (offset < 0) throw new Error(`'${search}' is not in ${document.uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + search.length)), replacement);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`the edit of ${document.uri.fsPath} was not applied`);
}

/** Position just after the first occurrence of `marker` (or at its start with `atStart`). */
export function positionOf(document: vscode.TextDocument, marker: string, atStart = false): vscode.Position {
  const offset = document.getText().indexOf(marker);
  if (offset < 0) throw new Error(`'${marker}' is not in ${document.uri.fsPath}`);
  return document.positionAt(atStart ? offset : offset + marker.length);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function completionsAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items;
}
