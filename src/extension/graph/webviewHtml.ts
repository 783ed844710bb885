import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { pageHtml } from '../../core/webview/pageHtml';

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
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'graph.js'));
  return pageHtml({
    title,
    resourceSource: webview.cspSource,
    blobWorkers: true,
    data: [{ id: 'aios-graph-worker', type: 'text/plain', text: workerBase64(extensionUri) }],
    scripts: [{ src: script.toString() }],
  });
}
