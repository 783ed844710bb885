import { kindMismatch } from '../diagnostics/kindMismatch';
import { dirname, relative } from 'node:path';
import { schemaDiagnostics } from '../diagnostics/schemaDiagnostics';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types';
import { keyRange, makeDiagnostic, parseYaml, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import { nearest } from '../diagnostics/didYouMean';
import { list, record } from '../diagnostics/rawValues';
import { replaceFixes } from '../diagnostics/replaceFixes';
import { parseQuantity, type Quantity } from '../quantity/quantity';
import { supportedOps } from '../onnx/shape/ops';
import { precisions } from '../compute/words';
import { socIdPattern, socSchema, type SocTarget } from './schema';

export interface SocValidationContext {
  readonly filePath?: string;
  /** Ids of the built-in targets: a workspace file with one of them overrides it (reported as info). */
  readonly builtinIds?: readonly string[];
  /** Targets defined by the other SoC files of the workspace, for the unique-id check. */
  readonly otherTargets?: ReadonlyArray<{ readonly id: string; readonly file: string }>;
}

export interface SocCheck {
  readonly parsed: ParsedYaml;
  readonly diagnostics: readonly Diagnostic[];
  readonly target: SocTarget | undefined;
}

/** Syntax, schema and semantic checks of a `*.soc.yaml`. Synchronous: SoC files reference no other files. */
export function validateSoc(text: string, context: SocValidationContext = {}): SocCheck {
  const parsed = parseYaml(text);
  const wrongKind = kindMismatch(parsed, 'SocTarget', context.filePath);
  if (wrongKind) return { parsed, diagnostics: [...parsed.syntaxDiagnostics, wrongKind].sort(compareDiagnostics), target: undefined };
  const schema = schemaDiagnostics(parsed, socSchema);
  const semantic = parsed.usable ? socSemantic(parsed, context) : [];
  return { parsed, diagnostics: [...parsed.syntaxDiagnostics, ...schema.diagnostics, ...semantic].sort(compareDiagnostics), target: schema.data };
}

/** ONNX (and com.microsoft) op types the shape engine knows: nearly every standard operator. */
const onnxOpTypes: ReadonlySet<string> = new Set([...supportedOps().onnx, ...supportedOps().microsoft]);

function powerFigure(value: unknown): Quantity | undefined {
  const parsed = parseQuantity(record(value)['value'], 'power');
  return parsed.ok ? parsed.quantity : undefined;
}

/**
 * Checks across fields (unique ids, links, power). They read the raw document, field by field,
 * so a schema error elsewhere (a missing source, a bad unit) does not hide them.
 */
function socSemantic(parsed: ParsedYaml, context: SocValidationContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const doc = record(parsed.value);
  const ids = new Map<string, string>();
  let allIdsKnown = Array.isArray(doc['engines']) && Array.isArray(doc['memories']);
  const claim = (id: unknown, path: ReadonlyArray<string | number>, label: string) => {
    if (typeof id !== 'string' || id === '') {
      allIdsKnown = false;
      return;
    }
    const prev = ids.get(id);
    if (prev) out.push(makeDiagnostic('AIOS340', `id '${id}' is already used by ${prev}; engine and memory ids must be unique`, valueRange(parsed, path), { path }));
    else ids.set(id, label);
  };
  const engines = list(doc['engines']);
  engines.forEach((e, i) => claim(record(e)['id'], ['engines', i, 'id'], `engines[${i}]`));
  list(doc['memories']).forEach((m, i) => claim(record(m)['id'], ['memories', i, 'id'], `memories[${i}]`));

  const known = [...ids.keys()];
  list(doc['links']).forEach((raw, i) => {
    const link = record(raw);
    for (const end of ['from', 'to'] as const) {
      const ref = link[end];
      if (!allIdsKnown || typeof ref !== 'string' || ref === '' || ids.has(ref)) continue;
      const path = ['links', i, end];
      const range = valueRange(parsed, path);
      const suggestions = nearest(ref, known);
      out.push(
        makeDiagnostic('AIOS341', `links[${i}].${end} '${ref}' is not an engine or memory of this target (known: ${known.join(', ')})${suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ''}`, range, {
          path,
          fixes: replaceFixes(range, suggestions),
        }),
      );
    }
  });

  // Op types the engines name: a typo (`Conv2D`, `relu`) would silently never match a node.
  engines.forEach((raw, i) => {
    const engine = record(raw);
    const named: Array<{ op: unknown; path: Array<string | number> }> = [
      ...list(engine['ops']).map((op, j) => ({ op, path: ['engines', i, 'ops', j] })),
      ...list(engine['fusions']).flatMap((seq, j) => list(seq).map((op, k) => ({ op, path: ['engines', i, 'fusions', j, k] }))),
    ];
    for (const { op, path } of named) {
      if (typeof op !== 'string' || op === '' || onnxOpTypes.has(op)) continue;
      const range = valueRange(parsed, path);
      const suggestions = nearest(op, onnxOpTypes);
      out.push(
        makeDiagnostic('AIOS347', `'${op}' is not an ONNX operator type${suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ' (op types are case-sensitive, e.g. Conv, MatMul, Relu)'}`, range, {
          path,
          fixes: replaceFixes(range, suggestions),
        }),
      );
    }
  });

  const power = record(doc['power']);
  if (engines.length > 0 && engines.every((e) => typeof record(e)['precisions'] === 'object')) {
    const supported = new Set(engines.flatMap((e) => Object.keys(record(record(e)['precisions']))));
    for (const precision of Object.keys(record(power['energyPerOp']))) {
      if ((precisions as readonly string[]).includes(precision) && !supported.has(precision)) {
        out.push(makeDiagnostic('AIOS342', `power.energyPerOp.${precision} is given but no engine supports ${precision}`, keyRange(parsed, ['power', 'energyPerOp', precision]), { path: ['power', 'energyPerOp', precision] }));
      }
    }
  }

  const staticPower = powerFigure(power['static']);
  const sustained = powerFigure(power['sustained']);
  if (staticPower && sustained && sustained.value < staticPower.value) {
    const path = ['power', 'sustained', 'value'];
    out.push(makeDiagnostic('AIOS346', `power.sustained (${sustained.magnitude}${sustained.unit}) is below power.static (${staticPower.magnitude}${staticPower.unit}): the SoC could not even idle; check both figures and their units`, valueRange(parsed, path), { path }));
  }

  const id = typeof doc['id'] === 'string' && socIdPattern.test(doc['id']) ? doc['id'] : undefined;
  if (id !== undefined && context.builtinIds?.includes(id)) {
    out.push(makeDiagnostic('AIOS343', `this file overrides the built-in target '${id}'`, valueRange(parsed, ['id']), { path: ['id'] }));
  }
  const clash = id !== undefined ? context.otherTargets?.find((t) => t.id === id && t.file !== context.filePath) : undefined;
  if (clash) {
    out.push({
      ...makeDiagnostic('AIOS344', `target id '${id}' is also defined in ${context.filePath ? relative(dirname(context.filePath), clash.file) || clash.file : clash.file}; ids must be unique in the workspace`, valueRange(parsed, ['id']), { path: ['id'] }),
      related: [{ file: clash.file, message: `'${id}' is defined here` }],
    });
  }
  return out;
}
