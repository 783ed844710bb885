import * as vscode from 'vscode';
import { GraphPanel } from './graphPanel';
import { GraphSourceClient, type SideBySide } from './graphSourceClient';

export const graphSideBySideViewType = 'aios.graphDiffSide';
const startWaitMs = 10_000;

/**
 * The side-by-side diff: the base model in the first column and the other model beside it,
 * each coloured by what happened to its own nodes. Selecting a node in one pane (by click,
 * search, arrows or "next change") selects and centres its counterpart in the other; panning
 * or zooming one centres the counterpart of its centre node at the same zoom in the other.
 */
export async function openSideBySide(
  context: { extensionUri: vscode.Uri; log: vscode.LogOutputChannel; panels: Set<GraphPanel> },
  base: vscode.Uri,
  other: vscode.Uri,
): Promise<{ base: GraphPanel; other: GraphPanel }> {
  const baseTitle = base.path.split('/').pop() ?? 'base.onnx';
  const title = other.path.split('/').pop() ?? 'model.onnx';
  const client = new GraphSourceClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'graphSource.js').fsPath);
  // One read and one diff of both models feed both panes (closing both ends it: the client is disposed).
  const sides = client.openSideBySide(base.fsPath, other.fsPath, { title, baseTitle });
  const load = () => sides;
  const pane = (label: string, column: vscode.ViewColumn, pick: (s: SideBySide) => SideBySide['base'], side?: 'base') => {
    const webviewPanel = vscode.window.createWebviewPanel(graphSideBySideViewType, label, { viewColumn: column, preserveFocus: side !== 'base' }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webviews')],
    });
    return new GraphPanel(webviewPanel, context.extensionUri, { load: async () => pick(await load()), weights: (graph, tensor) => client.weights(graph, tensor, side) }, context.log);
  };
  const basePanel = pane(`${baseTitle} (base)`, vscode.ViewColumn.One, (s) => s.base, 'base');
  // A webview whose script had not started when a second editor group opened stayed blank
  // (VS Code 1.100): open the right pane once the left one runs.
  await Promise.race([basePanel.started, new Promise((resolve) => setTimeout(resolve, startWaitMs))]);
  const otherPanel = pane(title, vscode.ViewColumn.Two, (s) => s.other);

  const toOther = new Map<string, string>();
  const toBase = new Map<string, string>();
  void sides.then(
    ({ pairs }) => {
      for (const [a, b] of pairs) {
        toOther.set(a, b);
        toBase.set(b, a);
      }
    },
    () => undefined, // each pane shows the failure itself
  );
  const keepInStep = (from: GraphPanel, to: GraphPanel, counterpart: ReadonlyMap<string, string>) =>
    from.onDidSelect(({ graph, node }) => {
      const match = graph === 'main' && node !== null ? counterpart.get(node) : undefined;
      if (match !== undefined) to.follow({ node: match });
    });
  const keepCameraInStep = (from: GraphPanel, to: GraphPanel, counterpart: ReadonlyMap<string, string>) =>
    from.onDidMoveViewport(({ graph, node, scale }) => {
      const match = graph === 'main' && node !== null ? counterpart.get(node) : undefined;
      if (match !== undefined) to.moveCamera({ node: match }, scale);
    });
  const links = [
    keepInStep(basePanel, otherPanel, toOther),
    keepInStep(otherPanel, basePanel, toBase),
    keepCameraInStep(basePanel, otherPanel, toOther),
    keepCameraInStep(otherPanel, basePanel, toBase),
  ];
  let open = 2;
  for (const panel of [basePanel, otherPanel]) {
    context.panels.add(panel);
    panel.panel.onDidDispose(() => {
      context.panels.delete(panel);
      for (const link of links) link.dispose();
      if (--open === 0) client.dispose();
    });
  }
  return { base: basePanel, other: otherPanel };
}
