import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { nodeAt } from '../../core/usecase/editor/yamlNodeAt';
import { resolveInWorkspace } from '../../core/usecase/workspacePath';
import type { UseCaseWorkspace } from './useCaseWorkspace';

/**
 * Go to definition on `model.path` opens the model (in the graph view, the default editor
 * for *.onnx) and on `safety.evidence` entries opens the evidence file. Paths that leave the
 * workspace are not followed.
 */
export class UseCaseDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly workspace: UseCaseWorkspace) {}

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.LocationLink[] | undefined> {
    if (document.uri.scheme !== 'file') return undefined;
    const hit = nodeAt(this.workspace.parse(document).document, document.offsetAt(position));
    if (!hit || hit.on !== 'value' || typeof hit.value !== 'string') return undefined;
    const [first, second] = hit.path;
    const isModel = hit.path.length === 2 && first === 'model' && second === 'path';
    const isEvidence = hit.path.length === 3 && first === 'safety' && second === 'evidence';
    if (!isModel && !isEvidence) return undefined;
    const verdict = await resolveInWorkspace(this.workspace.rootOf(document.uri), document.uri.fsPath, hit.value, (p) => realpath(p));
    if (!verdict.ok || (await this.workspace.fs.stat(verdict.path))?.type !== 'file') return undefined;
    const origin = new vscode.Range(document.positionAt(hit.span[0]), document.positionAt(hit.span[1]));
    const start = new vscode.Range(0, 0, 0, 0);
    return [{ originSelectionRange: origin, targetUri: vscode.Uri.file(verdict.path), targetRange: start, targetSelectionRange: start }];
  }
}
