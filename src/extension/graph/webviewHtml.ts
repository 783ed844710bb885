import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { escapeHtml } from '../../core/graphview/exportHtml';

const workerSources = new Map<string, string>();

/** The layout worker's source, base64, read once per extension path. */
function workerBase64(extensionUri: vscode.Uri): string {
  const path = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'graph.layout.worker.js').fsPath;
  let cached = workerSources.get(path);
  if (cached === undefined) {
    cached = readFileSync(path).toString('base64');
    workerSources.set(path, cached);
  }
  return cached;
}

/**
 * The graph webview's page: the app from dist/webviews under a fresh nonce, the layout worker
 * as inert base64 text (started from a blob URL: webview resources are cross-origin for
 * workers), and a CSP without unsafe-inline or unsafe-eval.
 */
export function graphWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'graph.js'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}' ${webview.cspSource}`,
    'worker-src blob:',
    `img-src ${webview.cspSource} data: blob:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body>
<script type="text/plain" id="aios-graph-worker">${workerBase64(extensionUri)}</script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
