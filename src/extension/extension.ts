import * as vscode from 'vscode';
import { ContributionRegistry } from './commandRegistry';
import { registerPendingCommands } from './commands/notYetAvailable';
import { MessageTreeProvider } from './views/messageTree';
import { PlaceholderGraphEditorProvider } from './graph/placeholderGraphEditor';
import { registerUseCaseLanguageFeatures } from './usecase/register';
import type { TargetsTreeProvider } from './views/targetsView';

/** What `activate` returns; integration tests read it through `extension.exports`. */
export interface AiosExtensionApi {
  /** Wall time spent inside `activate`, measured in the extension host. */
  readonly activationMs: number;
  readonly commandIds: ReadonlySet<string>;
  readonly viewIds: ReadonlySet<string>;
  /** The SoC Targets view's data, for tests that walk the tree. */
  readonly targetsTree: TargetsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): AiosExtensionApi {
  const started = performance.now();
  const registry = new ContributionRegistry(context.subscriptions);

  registerPendingCommands(registry);
  const useCase = registerUseCaseLanguageFeatures(context, registry);

  registry.treeView('aios.targets', useCase.targetsTree);
  registry.treeView('aios.releases', new MessageTreeProvider('Releases are not available yet.'));
  registry.treeView('aios.runs', new MessageTreeProvider('No runs yet: run history is not available yet.'));

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(PlaceholderGraphEditorProvider.viewType, new PlaceholderGraphEditorProvider(), {
      supportsMultipleEditorsPerDocument: true,
    }),
  );

  return {
    activationMs: performance.now() - started,
    commandIds: registry.commandIds,
    viewIds: registry.viewIds,
    targetsTree: useCase.targetsTree,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
