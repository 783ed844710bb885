import { schemaDiagnostics } from '../diagnostics/schemaDiagnostics';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types';
import { keyRange, makeDiagnostic, parseYaml, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import { nearest } from '../diagnostics/didYouMean';
import { socSchema, type SocTarget } from './schema';

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
  const schema = schemaDiagnostics(parsed, socSchema);
  const semantic = schema.data ? socSemantic(parsed, schema.data, context) : [];
  return { parsed, diagnostics: [...parsed.syntaxDiagnostics, ...schema.diagnostics, ...semantic].sort(compareDiagnostics), target: schema.data };
}

function socSemantic(parsed: ParsedYaml, target: SocTarget, context: SocValidationContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Map<string, string>();
  const claim = (id: string, path: ReadonlyArray<string | number>, label: string) => {
    const prev = ids.get(id);
    if (prev) out.push(makeDiagnostic('AIOS340', `id '${id}' is already used by ${prev}; engine and memory ids must be unique`, valueRange(parsed, path), { path }));
    else ids.set(id, label);
  };
  target.engines.forEach((e, i) => claim(e.id, ['engines', i, 'id'], `engines[${i}]`));
  target.memories.forEach((m, i) => claim(m.id, ['memories', i, 'id'], `memories[${i}]`));

  const known = [...ids.keys()];
  target.links.forEach((link, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!ids.has(link[end])) {
        const path = ['links', i, end];
        const range = valueRange(parsed, path);
        const suggestions = nearest(link[end], known);
        out.push(
          makeDiagnostic('AIOS341', `links[${i}].${end} '${link[end]}' is not an engine or memory of this target (known: ${known.join(', ')})`, range, {
            path,
            fixes: suggestions.map((s, k) => ({ title: `Change to '${s}'`, edits: [{ range, newText: s }], preferred: k === 0 })),
          }),
        );
      }
    }
  });

  const supported = new Set(target.engines.flatMap((e) => Object.keys(e.precisions)));
  for (const precision of Object.keys(target.power.energyPerOp)) {
    if (!supported.has(precision)) {
      out.push(makeDiagnostic('AIOS342', `power.energyPerOp.${precision} is given but no engine supports ${precision}`, keyRange(parsed, ['power', 'energyPerOp', precision]), { path: ['power', 'energyPerOp', precision] }));
    }
  }

  if (target.power.sustained.value.value < target.power.static.value.value) {
    const path = ['power', 'sustained', 'value'];
    out.push(makeDiagnostic('AIOS346', `power.sustained (${target.power.sustained.value.magnitude}${target.power.sustained.value.unit}) is below power.static (${target.power.static.value.magnitude}${target.power.static.value.unit}): the SoC could not even idle`, valueRange(parsed, path), { path }));
  }

  if (context.builtinIds?.includes(target.id)) {
    out.push(makeDiagnostic('AIOS343', `this file overrides the built-in target '${target.id}'`, valueRange(parsed, ['id']), { path: ['id'] }));
  }
  const clash = context.otherTargets?.find((t) => t.id === target.id && t.file !== context.filePath);
  if (clash) {
    out.push({
      ...makeDiagnostic('AIOS344', `target id '${target.id}' is also defined in ${clash.file}; ids must be unique in the workspace`, valueRange(parsed, ['id']), { path: ['id'] }),
      related: [{ file: clash.file, message: `'${target.id}' is defined here` }],
    });
  }
  return out;
}
