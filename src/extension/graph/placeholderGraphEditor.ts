import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** Read-only editor for `*.onnx` until the graph view lands: says so, and nothing else. */
export class PlaceholderGraphEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'aios.graph';

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const nonce = randomBytes(16).toString('base64');
    panel.webview.options = { enableScripts: false };
    const name = escapeHtml(document.uri.path.split('/').pop() ?? '');
    panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:1em}</style>
</head><body><p>${name}: the AIOS graph view is not available yet in this version.</p></body></html>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
