import * as vscode from 'vscode';

/**
 * Registers commands and tree views while recording their ids, so the manifest test can
 * check that package.json and the code agree in both directions.
 */
export class ContributionRegistry {
  readonly commandIds = new Set<string>();
  readonly viewIds = new Set<string>();

  constructor(private readonly subscriptions: vscode.Disposable[]) {}

  command(id: string, run: (...args: unknown[]) => unknown): void {
    this.commandIds.add(id);
    this.subscriptions.push(vscode.commands.registerCommand(id, run));
  }

  treeView<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    this.viewIds.add(id);
    const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: false });
    this.subscriptions.push(view);
    return view;
  }
}
