import * as vscode from 'vscode';
import type { GraphEditorProvider } from './graphEditorProvider';

/**
 * `aios.revealNode(model, node, graph?)`: opens (or focuses) the graph view of `model` and
 * selects `node` (a node name, or a tensor name its producer is found by). Other features
 * call it from diagnostics, quantization-diff rows and profile rows. `model` is a Uri or a
 * path/URI string; an object `{ model, node, graph }` works too. Returns whether a view shows it.
 */
export async function revealNodeCommand(provider: GraphEditorProvider, ...args: unknown[]): Promise<boolean> {
  const request = parseArgs(args);
  if (!request) {
    void vscode.window.showErrorMessage('AIOS: Reveal Node needs a model file and a node name (aios.revealNode(uri, nodeName)).');
    return false;
  }
  const panel = await provider.reveal(request.uri, { node: request.node, ...(request.graph ? { graph: request.graph } : {}) });
  return panel !== undefined;
}

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value !== 'string' || value === '') return undefined;
  return /^[a-z][\w+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value);
}

function parseArgs(args: readonly unknown[]): { uri: vscode.Uri; node: string; graph?: string } | undefined {
  let [model, node, graph] = args;
  if (args.length === 1 && typeof model === 'object' && model !== null && !(model instanceof vscode.Uri)) {
    const o = model as { model?: unknown; uri?: unknown; node?: unknown; graph?: unknown };
    model = o.model ?? o.uri;
    node = o.node;
    graph = o.graph;
  }
  const uri = toUri(model);
  if (!uri || typeof node !== 'string' || node === '') return undefined;
  return { uri, node, ...(typeof graph === 'string' && graph !== '' ? { graph } : {}) };
}
