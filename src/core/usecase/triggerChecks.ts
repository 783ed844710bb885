import { findNode, makeDiagnostic, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic, Range } from '../diagnostics/types';
import { replaceFixes } from '../diagnostics/replaceFixes';
import { clipMiddle } from '../text/clip';
import type { ModelMetadata } from './modelMetadata';
import { checkTrigger, parseTrigger, TriggerSyntaxError, type Span, type TriggerExpr, type TriggerProblem } from './trigger';
import type { UseCaseSections } from './useCaseSections';

type Parsed = { readonly index: number; readonly when: string; readonly expr: TriggerExpr };

/** The range in the file of `span` inside the `when` string at `path` (the whole value when it is written with escapes). */
function spanRange(parsed: ParsedYaml, path: ReadonlyArray<string | number>, when: string, span: Span): Range {
  const node = findNode(parsed.document, path).value;
  const r = node?.range;
  if (!r) return valueRange(parsed, path);
  const source = parsed.text.slice(r[0], r[1]);
  const start = source.startsWith(when) ? r[0] : (source[0] === '"' || source[0] === "'") && source.slice(1, 1 + when.length) === when ? r[0] + 1 : undefined;
  if (start === undefined) return valueRange(parsed, path);
  return parsed.lines.range(start + span.start, start + span.end);
}

const whenPath = (index: number) => ['dataLoop', 'triggers', index, 'when'];

function parsedTriggers(s: UseCaseSections): { parsed: Parsed[]; errors: Array<{ index: number; when: string; error: TriggerSyntaxError }> } {
  const parsed: Parsed[] = [];
  const errors: Array<{ index: number; when: string; error: TriggerSyntaxError }> = [];
  for (const { index, when } of s.triggers) {
    try {
      parsed.push({ index, when, expr: parseTrigger(when) });
    } catch (e) {
      if (!(e instanceof TriggerSyntaxError)) throw e;
      errors.push({ index, when, error: e });
    }
  }
  return { parsed, errors };
}

function problemDiagnostic(parsed: ParsedYaml, t: Parsed, p: TriggerProblem): Diagnostic {
  const range = spanRange(parsed, whenPath(t.index), t.when, p.span);
  const code = p.kind === 'reference' ? 'AIOS333' : /yes\/no values/.test(p.message) ? 'AIOS334' : 'AIOS332';
  return makeDiagnostic(code, `trigger '${clipMiddle(t.when)}': ${p.message}`, range, { path: whenPath(t.index), fixes: replaceFixes(range, p.suggestions) });
}

/** Without the model: syntax, and numbers where conditions belong (AIOS332). */
export function triggerSyntaxDiagnostics(parsed: ParsedYaml, s: UseCaseSections): Diagnostic[] {
  const { parsed: ok, errors } = parsedTriggers(s);
  return [
    ...errors.map(({ index, when, error }) => makeDiagnostic('AIOS332', `trigger '${clipMiddle(when)}' does not parse: ${error.message}`, spanRange(parsed, whenPath(index), when, error.span), { path: whenPath(index) })),
    ...ok.flatMap((t) => checkTrigger(t.expr, undefined).map((p) => problemDiagnostic(parsed, t, p))),
  ];
}

/** With the model: outputs, labels (from model.outputs[].labels), indices and element counts (AIOS333, AIOS334). */
export function triggerModelDiagnostics(parsed: ParsedYaml, s: UseCaseSections, metadata: ModelMetadata): Diagnostic[] {
  const declared = new Map((s.model?.outputs ?? []).flatMap((o) => (o ? [[o.name, o.labels] as const] : [])));
  const outputs = metadata.outputs.map((o) => ({ name: o.name, shape: o.shape, ...(declared.get(o.name) ? { labels: declared.get(o.name)! } : {}) }));
  return parsedTriggers(s).parsed.flatMap((t) => {
    const withoutModel = new Set(checkTrigger(t.expr, undefined).map((p) => `${p.span.start}:${p.span.end}:${p.message}`));
    return checkTrigger(t.expr, outputs)
      .filter((p) => !withoutModel.has(`${p.span.start}:${p.span.end}:${p.message}`))
      .map((p) => problemDiagnostic(parsed, t, p));
  });
}
