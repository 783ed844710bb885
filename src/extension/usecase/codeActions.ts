import * as vscode from 'vscode';
import { diagnosticSource, toTextEdit } from './convert';
import type { UseCaseDiagnostics } from './diagnostics';

/** Quick fixes: the fixes the validator attached to each diagnostic (did-you-mean, missing keys, units, ...). */
export class UseCaseCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: UseCaseDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== diagnosticSource) continue;
      for (const fix of this.diagnostics.fixesFor(document.uri, diagnostic)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        edit.set(document.uri, fix.edits.map(toTextEdit));
        action.edit = edit;
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred === true;
        actions.push(action);
      }
    }
    return actions;
  }
}
