import * as vscode from 'vscode';
import { useCaseSuffixes } from '../../core/workspace/findFiles';

export const isUseCasePath = (path: string): boolean => useCaseSuffixes.some((s) => path.endsWith(s));

/**
 * The file a command without arguments acts on: the active text editor's when it matches,
 * else the first visible text editor's that does. The second case is a command run from a
 * page that is not a text editor (the walkthrough, a graph or profile view) beside the file.
 */
export function documentInView(matches: (uri: vscode.Uri) => boolean): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && matches(active)) return active;
  return vscode.window.visibleTextEditors.map((e) => e.document.uri).find(matches);
}
