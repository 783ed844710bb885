import { compareDiagnostics, type Diagnostic } from '../diagnostics/types';
import { kindMismatch } from '../diagnostics/kindMismatch';
import { schemaDiagnostics } from '../diagnostics/schemaDiagnostics';
import { parseYaml, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { UseCaseValidationContext } from './context';
import { useCaseSchema, type UseCase } from './schema';
import { semanticChecksAsync, semanticChecksSync, useCaseSections } from './semantic';

export type { UseCaseValidationContext } from './context';

export interface UseCaseCheck {
  /** The parsed document, for editor features (paths at positions, symbols, completion). */
  readonly parsed: ParsedYaml;
  readonly diagnostics: readonly Diagnostic[];
  /** The typed use case with defaults applied, when the file passes the schema. */
  readonly useCase: UseCase | undefined;
}

/**
 * Syntax and schema layers plus the semantic checks that need no I/O. Synchronous and cheap:
 * safe to run on every keystroke.
 */
export function checkUseCase(text: string, context: Pick<UseCaseValidationContext, 'catalog' | 'otherUseCases' | 'filePath'>): UseCaseCheck {
  const parsed = parseYaml(text);
  const wrongKind = kindMismatch(parsed, 'UseCase', context.filePath);
  if (wrongKind) return { parsed, diagnostics: [...parsed.syntaxDiagnostics, wrongKind].sort(compareDiagnostics), useCase: undefined };
  const schema = schemaDiagnostics(parsed, useCaseSchema);
  const semantic = parsed.usable ? semanticChecksSync(parsed, useCaseSections(parsed.value), context) : [];
  // A semantic finding on the same value says more than "wrong type" (e.g. `version: 1.0`).
  const explained = new Set(semantic.filter((d) => d.code === 'AIOS313').map((d) => JSON.stringify(d.path)));
  const typeFindings = schema.diagnostics.filter((d) => !(d.code === 'AIOS202' && explained.has(JSON.stringify(d.path))));
  return { parsed, diagnostics: [...parsed.syntaxDiagnostics, ...typeFindings, ...semantic].sort(compareDiagnostics), useCase: schema.data };
}

/**
 * All layers: syntax, schema and semantic (model, calibration data, evidence files, catalog).
 * Never throws for bad input; rejects only with the abort reason when `context.signal` fires.
 */
export async function validateUseCase(text: string, context: UseCaseValidationContext): Promise<UseCaseCheck> {
  const check = checkUseCase(text, context);
  if (!check.parsed.usable || kindMismatch(check.parsed, 'UseCase', context.filePath)) return check;
  const more = await semanticChecksAsync(check.parsed, useCaseSections(check.parsed.value), context);
  return { ...check, diagnostics: [...check.diagnostics, ...more].sort(compareDiagnostics) };
}

/** The name of a use case, read cheaply for the workspace-wide unique-name check. */
export function useCaseName(text: string): string | undefined {
  const m = /^name:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*(?:#.*)?$/m.exec(text);
  return m?.[1];
}
