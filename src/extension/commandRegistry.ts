import * as vscode from 'vscode';

/**
 * Registers commands and tree views while recording their ids, so the manifest test can
 * check that package.json and the code agree in both directions. Every command run is
 * logged to the AIOS channel, and a command that throws is logged with its stack.
 */
export class ContributionRegistry {
  readonly commandIds = new Set<string>();
  readonly viewIds = new Set<string>();

  constructor(
    private readonly subscriptions: vscode.Disposable[],
    private readonly log: vscode.LogOutputChannel,
  ) {}

  command(id: string, run: (...args: unknown[]) => unknown): void {
    this.commandIds.add(id);
    this.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.logged(id, run, args)));
  }

  treeView<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    this.viewIds.add(id);
    const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: false });
    this.subscriptions.push(view);
    return view;
  }

  private logged(id: string, run: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    this.log.debug(`command ${id}`);
    const failed = (error: unknown): never => {
      this.log.error(`command ${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw error;
    };
    try {
      const result = run(...args);
      return result instanceof Promise ? result.catch(failed) : result;
    } catch (error) {
      return failed(error);
    }
  }
}
