import { extname, relative, resolve } from 'node:path';
import { isMap } from 'yaml';
import type { FileSystem } from '../fs';
import { nearest } from '../diagnostics/didYouMean';
import { describeValue, insertKeyEdit } from '../diagnostics/schemaDiagnostics';
import { describeAt } from '../diagnostics/schemaWalk';
import { findNode, keyRange, makeDiagnostic, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic, Fix, Range } from '../diagnostics/types';
import { formatQuantity } from '../quantity/quantity';
import { enginesOfKind, enginesSupporting, totalMemoryBytes } from '../soc/catalog';
import type { UseCaseValidationContext } from './context';
import { globProblem, globToRegExp } from './glob';
import type { ModelMetadata, ModelTensorInfo } from './modelMetadata';
import {
  calibrationSchema,
  deploymentSchema,
  modelSchema,
  quantizationSchema,
  releaseSchema,
  safetySchema,
  targetSchema,
  budgetsSchema,
  useCaseNamePattern,
  useCaseSchema,
  type TensorSpec,
} from './schema';
import { isSemver, suggestSemver } from './semver';
import { resolveInWorkspace } from './workspacePath';
import type { z } from 'zod';

type Path = ReadonlyArray<string | number>;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function section<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/**
 * The parts of a use case that are valid on their own, field by field, so semantic checks
 * run beside schema errors elsewhere (a bad budget does not hide an unknown target id).
 */
export interface UseCaseSections {
  readonly name?: string;
  readonly safety?: { readonly asil?: z.output<typeof safetySchema>['asil']; readonly evidence: readonly string[] };
  readonly model?: { readonly path?: string; readonly inputs?: readonly TensorSpec[]; readonly outputs?: readonly TensorSpec[] };
  readonly calibrationData?: string;
  readonly calibrationSamples?: number;
  readonly precision: z.output<typeof quantizationSchema>['precision'];
  readonly keepFloat: readonly string[];
  readonly targets: ReadonlyArray<{ readonly index: number; readonly target: PartialTarget }>;
  readonly deployment?: { readonly placement: z.output<typeof deploymentSchema>['placement']; readonly hasUplink: boolean };
  readonly release?: { readonly version?: string; readonly channel?: string; readonly percent?: number };
}

interface PartialTarget {
  readonly soc?: string;
  readonly engine?: z.output<typeof targetSchema>['engine'];
  readonly budgets?: z.output<typeof budgetsSchema>;
}

function fieldOf<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  return section(schema, value);
}

export function useCaseSections(value: unknown): UseCaseSections {
  const v = record(value);
  const name = typeof v['name'] === 'string' && useCaseNamePattern.test(v['name']) ? v['name'] : undefined;
  const targets = Array.isArray(v['targets'])
    ? (v['targets'] as unknown[]).map((t, index) => {
        const r = record(t);
        const soc = fieldOf(targetSchema.shape.soc, r['soc']);
        const engine = r['engine'] !== undefined ? fieldOf(targetSchema.shape.engine, r['engine']) : undefined;
        const budgets = r['budgets'] !== undefined ? fieldOf(budgetsSchema, r['budgets']) : undefined;
        return { index, target: { ...(soc !== undefined ? { soc } : {}), ...(engine !== undefined ? { engine } : {}), ...(budgets !== undefined ? { budgets } : {}) } };
      })
    : [];
  const safetyRaw = record(v['safety']);
  const asil = fieldOf(safetySchema.shape.asil, safetyRaw['asil']);
  const evidence = fieldOf(safetySchema.shape.evidence, safetyRaw['evidence']) ?? [];
  const modelRaw = record(v['model']);
  const modelPath = fieldOf(modelSchema.shape.path, modelRaw['path']);
  const inputs = fieldOf(modelSchema.shape.inputs, modelRaw['inputs']);
  const outputs = fieldOf(modelSchema.shape.outputs, modelRaw['outputs']);
  const calibrationData = fieldOf(calibrationSchema.shape.data, record(v['calibration'])['data']);
  const calibrationSamples = fieldOf(calibrationSchema.shape.samples, record(v['calibration'])['samples']);
  const quantRaw = record(v['quantization']);
  const precision = fieldOf(quantizationSchema.shape.precision, quantRaw['precision']) ?? 'int8';
  const keepFloat = Array.isArray(quantRaw['keepFloat']) ? (quantRaw['keepFloat'] as unknown[]).map((g) => (typeof g === 'string' ? g : '')) : [];
  const deploymentRaw = record(v['deployment']);
  const placement = fieldOf(deploymentSchema.shape.placement, deploymentRaw['placement']);
  const releaseRaw = record(v['release']);
  // YAML reads `version: 1.0` as a number: report it as a version problem, not a type problem.
  const rawVersion = releaseRaw['version'];
  const version = typeof rawVersion === 'string' ? rawVersion : typeof rawVersion === 'number' ? String(rawVersion) : undefined;
  const channel = fieldOf(releaseSchema.shape.channel, releaseRaw['channel']);
  const percent = fieldOf(releaseSchema.shape.rollout, releaseRaw['rollout'])?.percent;
  return {
    targets,
    precision,
    keepFloat,
    ...(name !== undefined ? { name } : {}),
    ...(v['safety'] !== undefined ? { safety: { ...(asil !== undefined ? { asil } : {}), evidence } } : {}),
    ...(v['model'] !== undefined
      ? { model: { ...(modelPath !== undefined ? { path: modelPath } : {}), ...(inputs !== undefined ? { inputs } : {}), ...(outputs !== undefined ? { outputs } : {}) } }
      : {}),
    ...(calibrationData !== undefined && v['calibration'] !== undefined ? { calibrationData, calibrationSamples: calibrationSamples ?? 64 } : {}),
    ...(v['deployment'] !== undefined && placement !== undefined ? { deployment: { placement, hasUplink: deploymentRaw['uplink'] !== undefined } } : {}),
    ...(v['release'] !== undefined
      ? { release: { ...(version !== undefined ? { version } : {}), ...(channel !== undefined ? { channel } : {}), ...(percent !== undefined ? { percent } : {}) } }
      : {}),
  };
}

function replaceFixes(range: Range, choices: readonly string[]): Fix[] {
  return choices.map((c, i) => ({ title: `Change to '${c}'`, edits: [{ range, newText: c }], preferred: i === 0 }));
}

/** Semantic checks that need no I/O: catalog, names, versions, budgets, placement. Synchronous. */
export function semanticChecksSync(parsed: ParsedYaml, s: UseCaseSections, context: Pick<UseCaseValidationContext, 'catalog' | 'otherUseCases' | 'filePath'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: Path) => valueRange(parsed, path);

  if (s.name) {
    const clash = context.otherUseCases?.find((u) => u.name === s.name && u.file !== context.filePath);
    if (clash) {
      out.push({
        ...makeDiagnostic('AIOS312', `use-case name '${s.name}' is already used by ${clash.file}; names must be unique in the workspace`, at(['name']), { path: ['name'] }),
        related: [{ file: clash.file, message: `'${s.name}' is defined here` }],
      });
    }
  }

  if (s.release?.version !== undefined && !isSemver(s.release.version)) {
    const suggestion = suggestSemver(s.release.version);
    const range = at(['release', 'version']);
    out.push(
      makeDiagnostic('AIOS313', `release.version '${s.release.version}' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. ${suggestion ?? '1.0.0'}`, range, {
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
        out.push(makeDiagnostic('AIOS323', `memory budget ${b.memory.magnitude}${b.memory.unit} exceeds the ${formatQuantity('memory', total)} of memory ${soc.id} has`, at([...base, 'budgets', 'memory']), { path: [...base, 'budgets', 'memory'] }));
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
  return out;
}

/** Semantic checks that read the workspace: model, calibration data, evidence. Cancellable; the three run concurrently. */
export async function semanticChecksAsync(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext): Promise<Diagnostic[]> {
  context.signal?.throwIfAborted();
  const root = resolve(context.workspaceRoot);
  const realPath = context.realPath;
  // The workspace root is resolved once per validation, not once per reference.
  const realRoot = realPath ? realPath(root).catch(() => root) : undefined;
  const cachedRealPath = realPath && realRoot ? (p: string) => (p === root ? realRoot : realPath(p)) : undefined;
  const resolveRef = (ref: string) => resolveInWorkspace(root, context.filePath, ref, cachedRealPath);
  // An I/O failure (permissions, a NUL in a path, ENOTDIR) becomes a diagnostic, never an exception.
  const guarded = (what: string, path: Path, run: () => Promise<Diagnostic[]>) =>
    run().catch((e: unknown): Diagnostic[] => {
      context.signal?.throwIfAborted();
      return [makeDiagnostic('AIOS326', `${what} could not be checked: ${shortError(e)}`, valueRange(parsed, path), { path })];
    });
  const groups = await Promise.all([
    guarded('model.path', ['model', 'path'], () => modelChecks(parsed, s, context, resolveRef)),
    guarded('calibration.data', ['calibration', 'data'], () => calibrationChecks(parsed, s, context, resolveRef)),
    guarded('safety.evidence', ['safety', 'evidence'], () => evidenceChecks(parsed, s, context, resolveRef)),
  ]);
  context.signal?.throwIfAborted();
  return groups.flat();
}

type ResolveRef = (ref: string) => ReturnType<typeof resolveInWorkspace>;

async function modelChecks(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext, resolveRef: ResolveRef): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const { signal } = context;
  const at = (path: Path) => valueRange(parsed, path);
  if (s.model?.path !== undefined) {
    signal?.throwIfAborted();
    const modelPath = s.model.path;
    const path = ['model', 'path'];
    const verdict = await resolveRef(modelPath);
    if (!verdict.ok) {
      out.push(makeDiagnostic('AIOS302', `model.path ${verdict.reason}; it is refused and not read`, at(path), { path }));
    } else {
      const stat = await context.fs.stat(verdict.path);
      if (!stat) {
        out.push(makeDiagnostic('AIOS301', `model file not found: ${modelPath}${lookedFor(context, modelPath, verdict.path)}`, at(path), { path, fixes: await nearbyModelFixes(context.fs, verdict.path, at(path), modelPath) }));
      } else if (stat.type !== 'file') {
        out.push(makeDiagnostic('AIOS303', `model.path ${modelPath} is a folder, not an ONNX model file`, at(path), { path }));
      } else {
        if (extname(verdict.path).toLowerCase() !== '.onnx') {
          out.push(makeDiagnostic('AIOS327', `model.path ${modelPath} does not end in .onnx`, at(path), { path }));
        }
        let metadata: ModelMetadata | undefined;
        try {
          metadata = await context.models.get(context.fs, verdict.path, signal, stat);
        } catch (e) {
          signal?.throwIfAborted();
          out.push(makeDiagnostic('AIOS303', `${modelPath} is not a readable ONNX model: ${shortError(e)}`, at(path), { path }));
        }
        if (metadata) {
          out.push(...checkTensors(parsed, 'inputs', s.model.inputs, metadata.inputs));
          out.push(...checkTensors(parsed, 'outputs', s.model.outputs, metadata.outputs));
          out.push(...checkKeepFloat(parsed, s.keepFloat, metadata));
          out.push(...checkWeightsFitBudgets(parsed, s, metadata));
        }
      }
    }
  }

  return out;
}

async function calibrationChecks(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext, resolveRef: ResolveRef): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const { signal } = context;
  const at = (path: Path) => valueRange(parsed, path);
  if (s.calibrationData !== undefined && s.calibrationData !== 'synthetic') {
    signal?.throwIfAborted();
    const calibrationData = s.calibrationData;
    const path = ['calibration', 'data'];
    const verdict = await resolveRef(calibrationData);
    if (!verdict.ok) {
      out.push(makeDiagnostic('AIOS302', `calibration.data ${verdict.reason}; it is refused and not read`, at(path), { path }));
    } else {
      const stat = await context.fs.stat(verdict.path);
      if (stat?.type !== 'directory') {
        out.push(
          makeDiagnostic('AIOS314', stat ? `calibration.data ${calibrationData} is a file; give a folder of .npy samples or 'synthetic'` : `calibration folder not found: ${calibrationData} (write 'synthetic' to calibrate on generated inputs)`, at(path), {
            path,
            fixes: [{ title: "Use 'synthetic' calibration data", edits: [{ range: at(path), newText: 'synthetic' }] }],
          }),
        );
      } else {
        const entries = await context.fs.readDirectory(verdict.path);
        const samples = entries.filter((e) => e.type === 'file' && e.name.toLowerCase().endsWith('.npy')).length;
        if (samples === 0) out.push(makeDiagnostic('AIOS315', `calibration folder ${calibrationData} holds no .npy samples`, at(path), { path }));
        else if (s.calibrationSamples !== undefined && samples < s.calibrationSamples) {
          out.push(makeDiagnostic('AIOS329', `calibration folder ${calibrationData} holds ${samples} .npy sample${samples === 1 ? '' : 's'}, fewer than calibration.samples (${s.calibrationSamples}); calibration will use ${samples}`, at(path), { path }));
        }
      }
    }
  }

  return out;
}

async function evidenceChecks(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext, resolveRef: ResolveRef): Promise<Diagnostic[]> {
  const at = (path: Path) => valueRange(parsed, path);
  const checks = (s.safety?.evidence ?? []).map(async (evidence, i): Promise<Diagnostic[]> => {
    context.signal?.throwIfAborted();
    const path = ['safety', 'evidence', i];
    const verdict = await resolveRef(evidence);
    if (!verdict.ok) return [makeDiagnostic('AIOS302', `safety.evidence ${verdict.reason}; it is refused and not read`, at(path), { path })];
    if ((await context.fs.stat(verdict.path))?.type !== 'file') return [makeDiagnostic('AIOS317', `safety evidence file not found: ${evidence}`, at(path), { path })];
    return [];
  });
  return (await Promise.all(checks)).flat();
}

async function nearbyModelFixes(fs: FileSystem, missing: string, range: Range, written: string): Promise<Fix[]> {
  const slash = missing.lastIndexOf('/');
  const dir = missing.slice(0, slash);
  const name = missing.slice(slash + 1);
  const stat = await fs.stat(dir);
  if (stat?.type !== 'directory') return [];
  const onnx = (await fs.readDirectory(dir)).filter((e) => e.type === 'file' && e.name.endsWith('.onnx')).map((e) => e.name);
  const prefix = written.includes('/') ? written.slice(0, written.lastIndexOf('/') + 1) : '';
  return replaceFixes(range, nearest(name, onnx).map((n) => `${prefix}${n}`));
}

/** " (looked for samples/x/models/m.onnx)" when that says more than what the file wrote. */
function lookedFor(context: UseCaseValidationContext, written: string, resolved: string): string {
  const shown = relative(context.workspaceRoot, resolved) || resolved;
  return shown === written ? '' : ` (looked for ${shown})`;
}

function shortError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message.split('\n')[0] ?? message).slice(0, 300);
}

function checkTensors(parsed: ParsedYaml, side: 'inputs' | 'outputs', declared: readonly TensorSpec[] | undefined, real: readonly ModelTensorInfo[]): Diagnostic[] {
  if (!declared) return [];
  const out: Diagnostic[] = [];
  const byName = new Map(real.map((t) => [t.name, t]));
  const declaredNames = new Set(declared.map((d) => d.name));
  const undeclared = real.map((t) => t.name).filter((n) => !declaredNames.has(n));
  const noun = side === 'inputs' ? 'input' : 'output';
  declared.forEach((d, i) => {
    const base = ['model', side, i];
    const t = byName.get(d.name);
    if (!t) {
      const range = valueRange(parsed, [...base, 'name']);
      const suggestions = nearest(d.name, undeclared.length > 0 ? undeclared : real.map((r) => r.name));
      const choices = suggestions.length > 0 ? suggestions : undeclared.slice(0, 3);
      out.push(
        makeDiagnostic(side === 'inputs' ? 'AIOS304' : 'AIOS305', `the model has no ${noun} '${d.name}' (its ${side}: ${real.map((r) => r.name).join(', ') || 'none'})`, range, {
          path: [...base, 'name'],
          fixes: replaceFixes(range, choices),
        }),
      );
      return;
    }
    if (d.dtype && t.dtype && d.dtype !== t.dtype) {
      const range = valueRange(parsed, [...base, 'dtype']);
      out.push(makeDiagnostic('AIOS306', `${noun} '${d.name}' is ${t.dtype} in the model, not ${d.dtype}`, range, { path: [...base, 'dtype'], fixes: replaceFixes(range, [t.dtype]) }));
    }
    if (d.shape && t.shape) {
      const range = valueRange(parsed, [...base, 'shape']);
      const modelShape = `[${t.shape.map((x) => (x === undefined ? '?' : String(x))).join(', ')}]`;
      const fix = replaceFixes(range, [`[${t.shape.map((x) => (x === undefined ? 'N' : String(x))).join(', ')}]`]);
      if (d.shape.length !== t.shape.length) {
        out.push(makeDiagnostic('AIOS307', `${noun} '${d.name}' has rank ${t.shape.length} in the model ${modelShape}, not ${d.shape.length}`, range, { path: [...base, 'shape'], fixes: fix }));
      } else {
        const bad = d.shape.findIndex((dim, k) => typeof dim === 'number' && typeof t.shape?.[k] === 'number' && t.shape[k] !== dim);
        if (bad >= 0) {
          out.push(makeDiagnostic('AIOS307', `${noun} '${d.name}': dimension ${bad} is ${String(t.shape[bad])} in the model ${modelShape}, not ${describeValue(d.shape[bad])}`, valueRange(parsed, [...base, 'shape', bad]), { path: [...base, 'shape', bad], fixes: fix }));
        }
      }
    }
  });
  if (side === 'inputs' && declared.length > 0 && undeclared.length > 0) {
    out.push(makeDiagnostic('AIOS325', `the model also has input${undeclared.length > 1 ? 's' : ''} ${undeclared.join(', ')} that model.inputs does not declare`, keyRange(parsed, ['model', 'inputs']), { path: ['model', 'inputs'] }));
  }
  return out;
}

const weightBytesPerElement: Record<UseCaseSections['precision'], number> = { fp32: 4, fp16: 2, int8: 1, 'int4-weight': 0.5 };

/** A memory budget below the model's own weights at the chosen precision cannot be met. */
function checkWeightsFitBudgets(parsed: ParsedYaml, s: UseCaseSections, metadata: ModelMetadata): Diagnostic[] {
  const floatBytes = metadata.floatWeightElements * 4;
  const weights = metadata.weightBytes - floatBytes + metadata.floatWeightElements * weightBytesPerElement[s.precision];
  if (weights <= 0) return [];
  return s.targets.flatMap(({ index, target }) => {
    const budget = target.budgets?.memory;
    if (!budget || budget.value >= weights) return [];
    const path = ['targets', index, 'budgets', 'memory'];
    return [
      makeDiagnostic('AIOS330', `memory budget ${budget.magnitude}${budget.unit} is below the model's weights alone at ${s.precision} (${formatQuantity('memory', weights)})`, valueRange(parsed, path), { path }),
    ];
  });
}

function checkKeepFloat(parsed: ParsedYaml, globs: readonly string[], metadata: ModelMetadata): Diagnostic[] {
  const out: Diagnostic[] = [];
  globs.forEach((glob, i) => {
    if (!glob || globProblem(glob)) return;
    const re = globToRegExp(glob);
    if (!metadata.nodeNames.some((n) => re.test(n))) {
      const named = metadata.nodeNames.filter((n) => n.length > 0).length;
      out.push(makeDiagnostic('AIOS318', `keepFloat glob '${glob}' matches no node of the model${named === 0 ? ' (its nodes have no names)' : ''}`, valueRange(parsed, ['quantization', 'keepFloat', i]), { path: ['quantization', 'keepFloat', i] }));
    }
  });
  return out;
}
