import { dirname, relative } from 'node:path';
import { isMap } from 'yaml';
import { nearest } from '../diagnostics/didYouMean';
import { insertKeyEdit } from '../diagnostics/schemaDiagnostics';
import { describeAt } from '../diagnostics/schemaWalk';
import { findNode, keyRange, makeDiagnostic, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic } from '../diagnostics/types';
import { formatQuantity } from '../quantity/quantity';
import { enginesOfKind, enginesSupporting, formatTotalMemory, totalMemoryBytes } from '../soc/catalog';
import type { UseCaseValidationContext } from './context';
import { globProblem } from './glob';
import { replaceFixes } from '../diagnostics/replaceFixes';
import { useCaseSchema } from './schema';
import { isSemver, suggestSemver } from './semver';
import { triggerSyntaxDiagnostics } from './triggerChecks';
import type { UseCaseSections } from './useCaseSections';

type Path = ReadonlyArray<string | number>;

export function semanticChecksSync(parsed: ParsedYaml, s: UseCaseSections, context: Pick<UseCaseValidationContext, 'catalog' | 'otherUseCases' | 'filePath'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: Path) => valueRange(parsed, path);

  if (s.name) {
    const clash = context.otherUseCases?.find((u) => u.name === s.name && u.file !== context.filePath);
    if (clash) {
      out.push({
        ...makeDiagnostic('AIOS312', `use-case name '${s.name}' is already used by ${relative(dirname(context.filePath), clash.file) || clash.file}; names must be unique in the workspace: rename one of them`, at(['name']), { path: ['name'] }),
        related: [{ file: clash.file, message: `'${s.name}' is defined here` }],
      });
    }
  }

  if (s.release?.version !== undefined && !isSemver(s.release.version)) {
    const range = at(['release', 'version']);
    // YAML reads `version: 1.10` as the number 1.1: judge what was written.
    const written = typeof s.release.version === 'string' && /^\d+(\.\d+)?$/.test(s.release.version) ? parsed.text.slice(parsed.lines.offsetAt(range.start), parsed.lines.offsetAt(range.end)).trim().replace(/^["']|["']$/g, '') || s.release.version : s.release.version;
    const suggestion = suggestSemver(written);
    out.push(
      makeDiagnostic('AIOS313', `release.version '${written}' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. ${suggestion ?? '1.0.0'}`, range, {
        path: ['release', 'version'],
        fixes: suggestion ? replaceFixes(range, [suggestion]) : [],
      }),
    );
  }
  if (s.release?.channel === 'production' && s.release.percent === 100 && findNode(parsed.document, ['release', 'rollout']).complete) {
    out.push(makeDiagnostic('AIOS328', 'production release to 100 % of the fleet at once: consider a staged rollout (e.g. rollout: {percent: 5})', at(['release', 'rollout', 'percent']), { path: ['release', 'rollout', 'percent'] }));
  }

  const precision = s.precision;
  const seen = new Map<string, number>();
  for (const { index, target } of s.targets) {
    const base = ['targets', index];
    if (target.soc === undefined) continue;
    const soc = context.catalog.get(target.soc);
    if (!soc) {
      const range = at([...base, 'soc']);
      const suggestions = nearest(target.soc, context.catalog.ids());
      const hint = suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ` (known: ${context.catalog.ids().join(', ')})`;
      out.push({ ...makeDiagnostic('AIOS308', `unknown SoC target '${target.soc}'${hint}`, range, { path: [...base, 'soc'], fixes: replaceFixes(range, suggestions) }), data: { socId: target.soc } });
      continue;
    }
    const dupKey = `${target.soc}/${target.engine ?? ''}`;
    const first = seen.get(dupKey);
    if (first !== undefined) {
      out.push(makeDiagnostic('AIOS321', `target ${target.soc}${target.engine ? ` (${target.engine})` : ''} is already listed as targets[${first}]`, at([...base, 'soc']), { path: [...base, 'soc'] }));
    } else seen.set(dupKey, index);

    const supporting = enginesSupporting(soc, precision);
    if (target.engine) {
      const ofKind = enginesOfKind(soc, target.engine);
      if (ofKind.length === 0) {
        const kinds = [...new Set(soc.engines.map((e) => e.kind))];
        const range = at([...base, 'engine']);
        out.push(makeDiagnostic('AIOS309', `${soc.id} has no ${target.engine} engine (it has: ${kinds.join(', ')})`, range, { path: [...base, 'engine'], fixes: replaceFixes(range, kinds) }));
      } else if (supporting.length > 0 && !ofKind.some((e) => e.precisions[precision])) {
        const others = [...new Set(supporting.map((e) => e.kind))];
        const range = at([...base, 'engine']);
        out.push(
          makeDiagnostic('AIOS311', `the ${target.engine} of ${soc.id} does not run ${precision} (supports ${Object.keys(ofKind[0]?.precisions ?? {}).join(', ') || 'nothing'}); ${others.join(' or ')} would run it instead`, range, {
            path: [...base, 'engine'],
            fixes: replaceFixes(range, others),
          }),
        );
      }
    }
    if (supporting.length === 0) {
      const all = [...new Set(soc.engines.flatMap((e) => Object.keys(e.precisions)))];
      out.push(makeDiagnostic('AIOS310', `no engine of ${soc.id} supports ${precision} (it supports: ${all.join(', ')}); change quantization.precision or the target`, at([...base, 'soc']), { path: [...base, 'soc'] }));
    }

    const b = target.budgets;
    if (b?.fps !== undefined && b.latency) {
      const product = b.fps * b.latency.value;
      if (product > 1) {
        out.push(
          makeDiagnostic('AIOS316', `budgets contradict: ${b.fps} fps leaves ${formatQuantity('time', 1 / b.fps, 'ms')} per frame, but the latency budget is ${b.latency.magnitude}${b.latency.unit} (fps x latency = ${Number(product.toFixed(2))} s > 1 s)`, at([...base, 'budgets', 'fps']), { path: [...base, 'budgets', 'fps'] }),
        );
      }
    }
    if (b?.memory) {
      const total = totalMemoryBytes(soc);
      if (b.memory.value > total) {
        out.push(makeDiagnostic('AIOS323', `memory budget ${b.memory.magnitude}${b.memory.unit} exceeds the ${formatTotalMemory(soc)} of memory ${soc.id} has`, at([...base, 'budgets', 'memory']), { path: [...base, 'budgets', 'memory'] }));
      }
    }
    if (b?.power) {
      const sustained = soc.power.sustained.value.value;
      if (b.power.value > sustained) {
        out.push(makeDiagnostic('AIOS323', `power budget ${b.power.magnitude}${b.power.unit} exceeds the sustained thermal limit of ${soc.id} (${formatQuantity('power', sustained)}, ${soc.power.sustained.source.kind})`, at([...base, 'budgets', 'power']), { path: [...base, 'budgets', 'power'] }));
      }
    }
  }

  if (s.deployment) {
    const placement = s.deployment.placement;
    if ((placement === 'split' || placement === 'cloud') && !s.deployment.hasUplink) {
      const deploymentNode = findNode(parsed.document, ['deployment']).value;
      const edit = deploymentNode && isMap(deploymentNode) ? insertKeyEdit(parsed, deploymentNode, 'uplink', describeAt(useCaseSchema, ['deployment', 'uplink'])) : undefined;
      const range = findNode(parsed.document, ['deployment', 'placement']).complete ? at(['deployment', 'placement']) : keyRange(parsed, ['deployment']);
      out.push(
        makeDiagnostic('AIOS319', `placement ${placement} needs deployment.uplink (bandwidth, rtt): the profiler cannot place work off the vehicle without it`, range, {
          path: ['deployment', 'placement'],
          fixes: edit ? [{ title: "Add 'uplink'", edits: [edit], preferred: true }] : [],
        }),
      );
    }
    if (placement === 'vehicle' && s.deployment.hasUplink) {
      out.push(makeDiagnostic('AIOS320', 'deployment.uplink is ignored: placement is vehicle (set placement: split or cloud to use it)', keyRange(parsed, ['deployment', 'uplink']), { path: ['deployment', 'uplink'] }));
    }
  }

  if (s.safety && (s.safety.asil === 'C' || s.safety.asil === 'D') && s.safety.evidence.length === 0) {
    out.push(makeDiagnostic('AIOS322', `ASIL ${s.safety.asil} without evidence: list the ISO/PAS 8800 data and V&V evidence files in safety.evidence`, at(['safety', 'asil']), { path: ['safety', 'asil'] }));
  }

  if (s.model) {
    for (const side of ['inputs', 'outputs'] as const) {
      const names = new Map<string, number>();
      (s.model[side] ?? []).forEach((t, i) => {
        if (!t) return;
        const prev = names.get(t.name);
        if (prev !== undefined) out.push(makeDiagnostic('AIOS324', `${side.slice(0, -1)} '${t.name}' is declared twice (also model.${side}[${prev}])`, at(['model', side, i, 'name']), { path: ['model', side, i, 'name'] }));
        else names.set(t.name, i);
      });
    }
  }

  for (const [i, glob] of s.keepFloat.entries()) {
    const problem = glob ? globProblem(glob) : undefined;
    if (problem) out.push(makeDiagnostic('AIOS318', `keepFloat glob '${glob}' is malformed: ${problem}`, at(['quantization', 'keepFloat', i]), { path: ['quantization', 'keepFloat', i] }));
  }
  out.push(...triggerSyntaxDiagnostics(parsed, s));
  return out;
}

/** Semantic checks that read the workspace: model, calibration data, evidence. Cancellable; the three run concurrently. */
