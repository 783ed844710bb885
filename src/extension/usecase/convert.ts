import * as vscode from 'vscode';
import type { Diagnostic, Range, Severity, TextEdit } from '../../core/diagnostics/types';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export const diagnosticSource = 'aios';

/** A core diagnostic as VS Code shows it: the AIOS code, related places as related information. */
export function toDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  diagnostic.source = diagnosticSource;
  diagnostic.code = d.code;
  if (d.related && d.related.length > 0) {
    diagnostic.relatedInformation = d.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), r.range ? toRange(r.range) : new vscode.Position(0, 0)), r.message),
    );
  }
  return diagnostic;
}

export function toTextEdit(edit: TextEdit): vscode.TextEdit {
  return vscode.TextEdit.replace(toRange(edit.range), edit.newText);
}
