import * as vscode from 'vscode';
import { socSchema } from '../../core/soc/schema';
import { outline, type OutlineKind, type OutlineSymbol } from '../../core/usecase/editor/outline';
import { useCaseSchema } from '../../core/usecase/schema';
import { workerOutlineMinLines, type SharedOutlines } from './sharedOutline';
import type { UseCaseWorkspace } from './useCaseWorkspace';

const kinds: Record<OutlineKind, vscode.SymbolKind> = {
  module: vscode.SymbolKind.Module,
  object: vscode.SymbolKind.Object,
  array: vscode.SymbolKind.Array,
  string: vscode.SymbolKind.String,
  number: vscode.SymbolKind.Number,
  boolean: vscode.SymbolKind.Boolean,
  enumMember: vscode.SymbolKind.EnumMember,
  key: vscode.SymbolKind.Key,
};

/**
 * The outline: sections, list items named by their soc or name, scalars with their value.
 * A big document's outline comes from the validation worker, which parses that version anyway.
 */
export class UseCaseDocumentSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(
    private readonly workspace: UseCaseWorkspace,
    private readonly outlines: SharedOutlines,
  ) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[] | undefined> {
    const shared = document.lineCount >= workerOutlineMinLines ? await this.outlines.wait(document, token) : 'none';
    if (shared === 'overtaken' || token.isCancellationRequested) return undefined;
    const symbols = shared === 'none' ? this.parseOutline(document) : shared;
    const convert = (s: OutlineSymbol): vscode.DocumentSymbol => {
      const range = new vscode.Range(document.positionAt(s.range[0]), document.positionAt(s.range[1]));
      const selection = new vscode.Range(document.positionAt(s.selection[0]), document.positionAt(s.selection[1]));
      const symbol = new vscode.DocumentSymbol(s.name || '""', s.detail, kinds[s.kind], range, range.contains(selection) ? selection : range);
      symbol.children = s.children.map(convert);
      return symbol;
    };
    return symbols.map(convert);
  }

  private parseOutline(document: vscode.TextDocument): readonly OutlineSymbol[] {
    const schema = document.languageId === 'aios-soc' ? socSchema : useCaseSchema;
    return outline(this.workspace.parse(document).document, schema);
  }
}
