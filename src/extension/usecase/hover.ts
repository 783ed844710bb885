import * as vscode from 'vscode';
import { socSchema } from '../../core/soc/schema';
import { keyDocMarkdown } from '../../core/usecase/editor/keyDoc';
import { targetMarkdown } from '../../core/usecase/editor/targetFigures';
import { nodeAt } from '../../core/usecase/editor/yamlNodeAt';
import { useCaseSchema } from '../../core/usecase/schema';
import type { UseCaseWorkspace } from './useCaseWorkspace';

/** Hover: the key's doc from the schema; on a `soc:` value, the target's figures with their sources. */
export class UseCaseHoverProvider implements vscode.HoverProvider {
  constructor(private readonly workspace: UseCaseWorkspace) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const parsed = this.workspace.parse(document);
    const hit = nodeAt(parsed.document, document.offsetAt(position));
    if (!hit) return undefined;
    const range = new vscode.Range(document.positionAt(hit.span[0]), document.positionAt(hit.span[1]));
    const isUseCase = document.languageId === 'aios-usecase';
    const schema = isUseCase ? useCaseSchema : socSchema;
    const parts: string[] = [];
    const [first, index, last] = hit.path;
    if (isUseCase && hit.on === 'value' && hit.path.length === 3 && first === 'targets' && typeof index === 'number' && last === 'soc' && typeof hit.value === 'string') {
      const entry = (await this.workspace.loadedCatalog(this.workspace.rootOf(document.uri))).catalog.entry(hit.value);
      parts.push(entry ? targetMarkdown(entry) : `\`${hit.value}\` is not in the SoC catalog (built-in targets and \`.aios/targets/*.soc.yaml\`).`);
    }
    const doc = keyDocMarkdown(schema, hit.path);
    if (doc) parts.push(doc);
    if (parts.length === 0) return undefined;
    return new vscode.Hover(parts.map((p) => new vscode.MarkdownString(p)), range);
  }
}
