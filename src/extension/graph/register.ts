import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';
import { compareModelsCommand } from './compareModelsCommand';
import { GraphEditorProvider, graphViewType } from './graphEditorProvider';
import type { GraphPanel } from './graphPanel';
import { openGraphCommand } from './openGraphCommand';
import { revealNodeCommand } from './revealNodeCommand';

/** What other features (and tests) use of the graph view. */
export interface GraphViewApi {
  readonly provider: GraphEditorProvider;
  /** Open diff panels. */
  readonly diffPanels: ReadonlySet<GraphPanel>;
}

/** The `aios.graph` custom editor and the openGraph, revealNode and compareModels commands. */
export function registerGraphView(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel): GraphViewApi {
  const provider = new GraphEditorProvider(context.extensionUri, log, context.workspaceState);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(graphViewType, provider, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );
  const diffPanels = new Set<GraphPanel>();
  registry.command('aios.openGraph', (uri?: unknown) => openGraphCommand(uri));
  registry.command('aios.revealNode', (...args: unknown[]) => revealNodeCommand(provider, ...args));
  registry.command('aios.compareModels', (clicked?: unknown, selected?: unknown, options?: unknown) =>
    compareModelsCommand({ extensionUri: context.extensionUri, log, panels: diffPanels }, clicked, selected, isSideBySide(options) ? 'sideBySide' : 'merged'),
  );
  registry.command('aios.compareModelsSideBySide', (clicked?: unknown, selected?: unknown) =>
    compareModelsCommand({ extensionUri: context.extensionUri, log, panels: diffPanels }, clicked, selected, 'sideBySide'),
  );
  return { provider, diffPanels };
}

/** `aios.compareModels(base, [base, other], { layout: 'sideBySide' })` opens the two-pane diff (for scripts and tests). */
function isSideBySide(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as { layout?: unknown }).layout === 'sideBySide';
}
