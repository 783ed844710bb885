import * as vscode from 'vscode';
import { capabilityOfCommand, needsTrustMessage, notAvailableMessage, type Capability } from '../core/capabilities/table';

/** What a command returns when it refuses to run, so callers and tests can tell why. */
export interface CommandRefusal {
  readonly refused: 'not-available' | 'untrusted';
  readonly message: string;
}

/** Says why the command does not run (a notification) and returns the refusal. */
export function refuse(reason: CommandRefusal['refused'], capability: Capability): CommandRefusal {
  const message = reason === 'untrusted' ? needsTrustMessage(capability) : notAvailableMessage(capability);
  void vscode.window.showInformationMessage(`AIOS: ${message}`);
  return { refused: reason, message };
}

/**
 * Registers commands and tree views while recording their ids, so the manifest test can
 * check that package.json and the code agree in both directions. Every command belongs to a
 * capability of src/core/capabilities/table.ts; the handler of one that needs trust refuses
 * in a restricted workspace before it runs anything, whoever invokes it (palette, code lens,
 * keybinding or another extension). Every command run is logged to the AIOS channel, and a
 * command that throws is logged with its stack.
 */
export class ContributionRegistry {
  readonly commandIds = new Set<string>();
  readonly viewIds = new Set<string>();

  constructor(
    private readonly subscriptions: vscode.Disposable[],
    private readonly log: vscode.LogOutputChannel,
  ) {}

  command(id: string, run: (...args: unknown[]) => unknown): void {
    const capability = capabilityOfCommand(id);
    if (!capability) throw new Error(`command ${id} belongs to no capability: add it to src/core/capabilities/table.ts`);
    this.commandIds.add(id);
    const handler = capability.needsTrust ? (...args: unknown[]) => (vscode.workspace.isTrusted ? run(...args) : refuse('untrusted', capability)) : run;
    this.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.logged(id, handler, args)));
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
