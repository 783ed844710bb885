import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/fs';
import { readModelReference } from '../../core/usecase/modelReference';
import { documentInView, isUseCasePath } from '../util/documentInView';
import { graphViewType } from './graphEditorProvider';

/** `aios.openGraph [uri]`: the explorer's file, the active .onnx editor, the model of the use case in view, or a picked model. */
export async function openGraphCommand(arg?: unknown): Promise<{ opened: string } | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : activeModelUri() ?? (await useCaseModelUri()) ?? (await pickModel('Open which model in the graph view?'));
  if (!uri) return undefined;
  await vscode.commands.executeCommand('vscode.openWith', uri, graphViewType);
  return { opened: uri.toString() };
}

/** The model a use case open in an editor names (e.g. run from the walkthrough beside it), when the file exists. */
async function useCaseModelUri(): Promise<vscode.Uri | undefined> {
  const useCase = documentInView((u) => u.scheme === 'file' && isUseCasePath(u.path));
  const model = useCase ? (await readModelReference(nodeFileSystem, useCase.fsPath))?.modelFile : undefined;
  return model !== undefined && (await nodeFileSystem.stat(model))?.type === 'file' ? vscode.Uri.file(model) : undefined;
}

function activeModelUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.uri.path.endsWith('.onnx')) return input.uri;
  const doc = vscode.window.activeTextEditor?.document.uri;
  return doc?.path.endsWith('.onnx') ? doc : undefined;
}

/** Quick pick over the workspace's *.onnx files (or a file dialog when there are none). */
export async function pickModel(title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles('**/*.onnx', '**/{node_modules,.git}/**', 500)).filter((u) => u.toString() !== exclude?.toString());
  if (found.length === 0) {
    const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'ONNX models': ['onnx'] } });
    return picked?.[0];
  }
  const items = found
    .map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: vscode.workspace.asRelativePath(uri, false), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return picked?.uri;
}
