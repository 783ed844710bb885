import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistry } from '../commandRegistry';
import { isAiosDocument, type UseCaseDiagnostics } from '../usecase/diagnostics';
import { documentInView } from '../util/documentInView';

const isAiosFile = (uri: vscode.Uri) => /\.(usecase|soc)\.ya?ml$/.test(uri.path);

/** What `aios.validate` returns (tests assert on it). */
export interface ValidateResult {
  readonly file: string;
  /** Number of diagnostics published for the file. */
  readonly diagnostics: number;
  readonly errors: number;
  readonly warnings: number;
}

function count(list: readonly vscode.Diagnostic[], severity: vscode.DiagnosticSeverity): number {
  return list.filter((d) => d.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `aios.validate [uri]`: validates the given use-case or SoC file (or the active editor's)
 * with every layer, shows the Problems panel when something is wrong, a message otherwise.
 */
export function registerValidateCommand(registry: ContributionRegistry, diagnostics: UseCaseDiagnostics): void {
  registry.command('aios.validate', async (arg?: unknown): Promise<ValidateResult | undefined> => {
    const uri = arg instanceof vscode.Uri ? arg : (documentInView(isAiosFile) ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri) {
      void vscode.window.showWarningMessage('AIOS: open a *.usecase.yaml or *.soc.yaml file to validate, or run the command from its editor.');
      return undefined;
    }
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      void vscode.window.showErrorMessage(`AIOS: cannot open ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (!isAiosDocument(document)) {
      void vscode.window.showWarningMessage(`AIOS: ${basename(uri.fsPath)} is not a use-case (*.usecase.yaml) or SoC target (*.soc.yaml) file.`);
      return undefined;
    }
    const list = await diagnostics.validateNow(document);
    const result: ValidateResult = {
      file: uri.fsPath,
      diagnostics: list.length,
      errors: count(list, vscode.DiagnosticSeverity.Error),
      warnings: count(list, vscode.DiagnosticSeverity.Warning),
    };
    const name = basename(uri.fsPath);
    if (result.errors + result.warnings > 0) {
      void vscode.commands.executeCommand('workbench.actions.view.problems');
      void vscode.window.showWarningMessage(`AIOS: ${name}: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} (see Problems).`);
    } else {
      void vscode.window.showInformationMessage(`AIOS: ${name} is valid${result.diagnostics > 0 ? ` (${plural(result.diagnostics, 'note')})` : ''}.`);
    }
    return result;
  });
}
