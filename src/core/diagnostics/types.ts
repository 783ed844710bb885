import type { DiagnosticCode } from './codes';

/** 0-based line and UTF-16 character offset, as editors count them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A quick fix: a title for the menu and the edits that apply it, all in the same file. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply on "fix all" / auto-fix. */
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** YAML path of the node the diagnostic is about, when there is one (e.g. ['targets', 0, 'soc']). */
  readonly path?: ReadonlyArray<string | number>;
  readonly fixes?: readonly Fix[];
  /** Machine-readable details for tools, e.g. `{ socId }` on an unknown target. */
  readonly data?: Readonly<Record<string, string | number | boolean>>;
  /** Other places involved, e.g. the file that already uses this name. */
  readonly related?: ReadonlyArray<{ readonly file: string; readonly range?: Range; readonly message: string }>;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}
