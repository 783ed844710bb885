import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { useCaseSections } from '../../core/usecase/semantic';
import { resolveInWorkspace } from '../../core/usecase/workspacePath';
import type { ContributionRegistry } from '../commandRegistry';
import type { UseCaseWorkspace } from '../usecase/useCaseWorkspace';

/** What `aios.inspectModel` returns: the model it opened, or why it opened none. */
export type InspectModelResult = { readonly opened: string } | { readonly problem: string };

async function modelOf(workspace: UseCaseWorkspace, uri: vscode.Uri): Promise<vscode.Uri | string> {
  if (uri.path.endsWith('.onnx')) return uri;
  const document = await vscode.workspace.openTextDocument(uri);
  const reference = useCaseSections(workspace.parse(document).value).model?.path;
  if (reference === undefined) return `${basename(uri.fsPath)} names no model: add model.path (the ONNX file, relative to the use case).`;
  const verdict = await resolveInWorkspace(workspace.rootOf(uri), uri.fsPath, reference, (p) => realpath(p));
  if (!verdict.ok) return `${basename(uri.fsPath)}: model.path ${verdict.reason}; point it at an ONNX file inside the workspace.`;
  const model = vscode.Uri.file(verdict.path);
  try {
    await vscode.workspace.fs.stat(model);
  } catch {
    return `${basename(uri.fsPath)}: model ${reference} not found; fix model.path or add the file.`;
  }
  return model;
}

/**
 * `aios.inspectModel [uri]`: opens the model of a use case (or an `.onnx` file) in the graph
 * view, which shows its summary, nodes and shapes. The same inspection as `aios inspect`,
 * done in the graph view's worker, off the extension host thread.
 */
export function registerInspectModelCommand(registry: ContributionRegistry, workspace: UseCaseWorkspace): void {
  registry.command('aios.inspectModel', async (arg?: unknown): Promise<InspectModelResult> => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const model = uri ? await modelOf(workspace, uri) : 'open a *.usecase.yaml or .onnx file, or run the command from its editor.';
    if (typeof model === 'string') {
      void vscode.window.showWarningMessage(`AIOS: ${model}`);
      return { problem: model };
    }
    await vscode.commands.executeCommand('vscode.openWith', model, 'aios.graph');
    return { opened: model.fsPath };
  });
}
