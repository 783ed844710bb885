import * as vscode from 'vscode';
import { GraphPanel } from './graphPanel';
import { GraphSourceClient } from './graphSourceClient';
import { pickModel } from './openGraphCommand';
import { openSideBySide } from './sideBySide';

export const graphDiffViewType = 'aios.graphDiff';

/**
 * `AIOS: Compare Models…`: from the explorer with two .onnx files selected (the first is the
 * base), or by picking the base and then the other model. Opens the diff view: the other
 * model's graph with the base's removed nodes merged in, coloured added/removed/changed; or,
 * side by side, each model in its own pane, kept in step.
 */
export async function compareModelsCommand(
  context: DiffContext,
  clicked?: unknown,
  selected?: unknown,
  layout: 'merged' | 'sideBySide' = 'merged',
): Promise<{ base: string; other: string; layout?: 'sideBySide' } | undefined> {
  const chosen = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.path.endsWith('.onnx')) : [];
  let base: vscode.Uri | undefined;
  let other: vscode.Uri | undefined;
  if (chosen.length === 2) [base, other] = chosen;
  else if (chosen.length > 2) {
    void vscode.window.showErrorMessage(`AIOS: Compare Models compares two models; ${chosen.length} are selected. Select exactly two .onnx files.`);
    return undefined;
  } else {
    base = clicked instanceof vscode.Uri ? clicked : await pickModel('Compare: pick the base (older) model');
    if (!base) return undefined;
    other = await pickModel(`Compare ${base.path.split('/').pop()} with which model?`, base);
  }
  if (!base || !other) return undefined;
  if (layout === 'sideBySide') {
    await openSideBySide(context, base, other);
    return { base: base.toString(), other: other.toString(), layout };
  }
  openDiffPanel(context, base, other);
  return { base: base.toString(), other: other.toString() };
}

type DiffContext = { extensionUri: vscode.Uri; log: vscode.LogOutputChannel; panels: Set<GraphPanel> };

export function openDiffPanel(context: DiffContext, base: vscode.Uri, other: vscode.Uri): GraphPanel {
  const baseTitle = base.path.split('/').pop() ?? 'base.onnx';
  const title = other.path.split('/').pop() ?? 'model.onnx';
  const webviewPanel = vscode.window.createWebviewPanel(graphDiffViewType, `${baseTitle} ↔ ${title}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webviews')],
  });
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'graphSource.js').fsPath;
  const client = new GraphSourceClient(workerPath);
  const panel = new GraphPanel(
    webviewPanel,
    context.extensionUri,
    {
      load: (token) => client.openDiff(base.fsPath, other.fsPath, { title, baseTitle }, token),
      weights: (graph, tensor) => client.weights(graph, tensor),
      sideBySide: () => void openSideBySide(context, base, other),
    },
    context.log,
  );
  context.panels.add(panel);
  webviewPanel.onDidDispose(() => {
    client.dispose();
    context.panels.delete(panel);
  });
  return panel;
}
