import * as vscode from 'vscode';

/**
 * The one `AIOS` output channel every feature logs to (validation, commands, graph view,
 * tasks). A log channel: the user picks the level, and each line carries its time.
 */
export function createAiosLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('AIOS', { log: true });
}
