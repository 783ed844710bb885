import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { runMochaInHost } from '../host/runMocha';
import { reloadStatePath } from './state';

/**
 * Tests module of the window-reload session. VS Code runs it in every extension host the
 * window starts: first to set up a view and record its state, then, after the real window
 * reload that the first run asks for, to check what the reloaded window restored.
 */
export async function run(): Promise<void> {
  if (existsSync(reloadStatePath())) return runMochaInHost('window reload: after', join(__dirname, 'after'));
  await runMochaInHost('window reload: before', join(__dirname, 'before'));
  if (!existsSync(reloadStatePath())) throw new Error('the before-reload tests passed but recorded no view state to check after the reload');
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  // The reload ends this extension host; the next one runs the checks.
  return new Promise<void>(() => undefined);
}
