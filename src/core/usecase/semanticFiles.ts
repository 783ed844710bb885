import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileSystem } from '../fs';
import { nearest } from '../diagnostics/didYouMean';
import { describeValue, pathLabel } from '../diagnostics/schemaDiagnostics';
import { OnnxFormatError } from '../onnx/readErrors';
import { keyRange, makeDiagnostic, valueRange, type ParsedYaml } from '../diagnostics/yamlDocument';
import type { Diagnostic, Fix, Range } from '../diagnostics/types';
import { formatQuantity } from '../quantity/quantity';
import type { UseCaseValidationContext } from './context';
import { compileGlob, globProblem } from './glob';
import type { ModelMetadata, ModelTensorInfo } from './modelMetadata';
import { replaceFixes } from '../diagnostics/replaceFixes';
import type { TensorSpec } from './schema';
import { triggerModelDiagnostics } from './triggerChecks';
import type { UseCaseSections } from './useCaseSections';
import { resolveInWorkspace } from './workspacePath';

type Path = ReadonlyArray<string | number>;

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
    guarded('dataLoop.data', ['dataLoop', 'data'], () => replayDataChecks(parsed, s, context, resolveRef)),
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
    if (isUrl(modelPath)) {
      out.push(makeDiagnostic('AIOS302', `model.path '${modelPath}' is a URL; it is refused and not fetched: copy the model into the workspace and give its path relative to this file`, at(path), { path }));
      return out;
    }
    const verdict = await resolveRef(modelPath);
    out.push(...absolutePathWarning(parsed, context, path, modelPath, verdict));
    if (!verdict.ok) {
      out.push(makeDiagnostic('AIOS302', `model.path ${verdict.reason}; it is refused and not read`, at(path), { path }));
    } else {
      const stat = await context.fs.stat(verdict.path);
      if (!stat) {
        // `models\dms.onnx` (Windows separators) or `"models/dms.onnx "` (stray spaces inside quotes).
        const respelled = modelPath.replace(/\\/g, '/').trim();
        const candidate = respelled !== modelPath && respelled !== '' ? await resolveRef(respelled) : undefined;
        if (candidate?.ok && (await context.fs.stat(candidate.path))?.type === 'file') {
          const why = modelPath.includes('\\') ? 'paths use forward slashes' : 'the path has spaces around it';
          out.push(makeDiagnostic('AIOS301', `model file not found: '${modelPath}': ${why}, write ${respelled}`, at(path), { path, fixes: replaceFixes(at(path), [respelled]) }));
        } else {
          const home = modelPath.startsWith('~') ? " ('~' is not expanded: give the path relative to this file)" : '';
          out.push(makeDiagnostic('AIOS301', `model file not found: ${modelPath}${lookedFor(context, modelPath, verdict.path)}${home}`, at(path), { path, fixes: await nearbyModelFixes(context.fs, verdict.path, at(path), modelPath) }));
        }
      } else if (stat.type !== 'file') {
        out.push(makeDiagnostic('AIOS303', `model.path ${modelPath} is a folder, not an ONNX model file`, at(path), { path }));
      } else if (stat.size === 0) {
        out.push(makeDiagnostic('AIOS303', `${modelPath} is empty (0 bytes), not an ONNX model: export or copy the model again`, at(path), { path }));
      } else {
        if (extname(verdict.path).toLowerCase() !== '.onnx') {
          out.push(makeDiagnostic('AIOS327', `model.path ${modelPath} does not end in .onnx`, at(path), { path }));
        }
        let metadata: ModelMetadata | undefined;
        try {
          metadata = await context.models.get(context.fs, verdict.path, signal, stat);
        } catch (e) {
          signal?.throwIfAborted();
          out.push(makeDiagnostic('AIOS303', `${modelPath} is not a readable ONNX model: ${await unreadableModelReason(context, verdict.path, stat.size, e)}`, at(path), { path }));
        }
        if (metadata) {
          out.push(...checkTensors(parsed, 'inputs', s.model.inputs, metadata.inputs));
          out.push(...checkTensors(parsed, 'outputs', s.model.outputs, metadata.outputs));
          out.push(...checkKeepFloat(parsed, s.keepFloat, metadata));
          out.push(...checkWeightsFitBudgets(parsed, s, metadata));
          out.push(...triggerModelDiagnostics(parsed, s, metadata));
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
    out.push(...absolutePathWarning(parsed, context, path, calibrationData, verdict));
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
        // SPEC §3: one .npy per sample (one input), or one folder per sample with <input>.npy files.
        const files = entries.filter((e) => e.type === 'file' && e.name.toLowerCase().endsWith('.npy')).length;
        const samples = files > 0 ? files : await countSampleFolders(context, verdict.path, entries);
        if (samples === 0) out.push(makeDiagnostic('AIOS315', `calibration folder ${calibrationData} holds no .npy samples (one .npy per sample, or one folder per sample with <input name>.npy files)`, at(path), { path }));
        else if (s.calibrationSamples !== undefined && samples < s.calibrationSamples) {
          out.push(makeDiagnostic('AIOS329', `calibration folder ${calibrationData} holds ${samples} .npy sample${samples === 1 ? '' : 's'}, fewer than calibration.samples (${s.calibrationSamples}); calibration will use ${samples}`, at(path), { path }));
        }
      }
    }
  }

  return out;
}

/** Sub-folders that hold .npy files (one sample each, SPEC §3); folders nested deeper are not samples. */
async function countSampleFolders(context: UseCaseValidationContext, dir: string, entries: ReadonlyArray<{ name: string; type: string }>): Promise<number> {
  const folders = entries.filter((e) => e.type === 'directory' && !e.name.startsWith('.'));
  const holdsNpy = await Promise.all(
    folders.map(async (f) => {
      context.signal?.throwIfAborted();
      return (await context.fs.readDirectory(join(dir, f.name))).some((e) => e.type === 'file' && e.name.toLowerCase().endsWith('.npy'));
    }),
  );
  return holdsNpy.filter(Boolean).length;
}

/** `dataLoop.data`: inside the workspace, a folder, holding samples (the run replays it). */
async function replayDataChecks(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext, resolveRef: ResolveRef): Promise<Diagnostic[]> {
  const data = s.replayData;
  if (data === undefined) return [];
  context.signal?.throwIfAborted();
  const path = ['dataLoop', 'data'];
  const at = valueRange(parsed, path);
  const verdict = await resolveRef(data);
  const out = [...absolutePathWarning(parsed, context, path, data, verdict)];
  if (!verdict.ok) return [...out, makeDiagnostic('AIOS302', `dataLoop.data ${verdict.reason}; it is refused and not read`, at, { path })];
  const stat = await context.fs.stat(verdict.path);
  if (stat?.type !== 'directory') return [...out, makeDiagnostic('AIOS348', stat ? `dataLoop.data ${data} is a file; give a folder of recorded .npy samples` : `replay folder not found: ${data} (record inputs there, or remove dataLoop.data)`, at, { path })];
  const entries = await context.fs.readDirectory(verdict.path);
  const files = entries.filter((e) => e.type === 'file' && e.name.toLowerCase().endsWith('.npy')).length;
  if (files === 0 && (await countSampleFolders(context, verdict.path, entries)) === 0) out.push(makeDiagnostic('AIOS348', `replay folder ${data} holds no .npy samples (one .npy per sample, or one folder per sample with <input name>.npy files)`, at, { path }));
  return out;
}

async function evidenceChecks(parsed: ParsedYaml, s: UseCaseSections, context: UseCaseValidationContext, resolveRef: ResolveRef): Promise<Diagnostic[]> {
  const at = (path: Path) => valueRange(parsed, path);
  const checks = (s.safety?.evidence ?? []).map(async (evidence, i): Promise<Diagnostic[]> => {
    context.signal?.throwIfAborted();
    const path = ['safety', 'evidence', i];
    const verdict = await resolveRef(evidence);
    const absolute = absolutePathWarning(parsed, context, path, evidence, verdict);
    if (!verdict.ok) return [makeDiagnostic('AIOS302', `safety.evidence ${verdict.reason}; it is refused and not read`, at(path), { path })];
    const stat = await context.fs.stat(verdict.path);
    if (stat?.type !== 'file') return [...absolute, makeDiagnostic('AIOS317', stat ? `safety evidence ${evidence} is a folder: list the evidence files themselves` : `safety evidence file not found: ${evidence}`, at(path), { path })];
    return absolute;
  });
  return (await Promise.all(checks)).flat();
}

function isUrl(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);
}

/** An absolute path inside the workspace works here but nowhere else: the file says relative to itself. */
function absolutePathWarning(parsed: ParsedYaml, context: UseCaseValidationContext, path: Path, ref: string, verdict: Awaited<ReturnType<ResolveRef>>): Diagnostic[] {
  if (!verdict.ok || !isAbsolute(ref)) return [];
  const rel = relative(dirname(context.filePath), verdict.path).split(sep).join('/') || '.';
  const range = valueRange(parsed, path);
  return [makeDiagnostic('AIOS331', `${pathLabel(path)} '${ref}' is an absolute path: write it relative to this file (${rel}) so the use case works in other checkouts`, range, { path, fixes: replaceFixes(range, [rel]) })];
}

/** Why a model file did not read, in the user's terms: text, truncated, or the reader's own words. */
async function unreadableModelReason(context: UseCaseValidationContext, file: string, size: number, e: unknown): Promise<string> {
  const problem = e instanceof OnnxFormatError ? `${e.problem}${e.offset !== undefined ? ` at byte ${e.offset}` : ''}` : shortError(e);
  if (size <= 1024 * 1024) {
    const head = (await context.fs.readFile(file, context.signal).catch(() => undefined))?.subarray(0, 512);
    if (head && looksLikeText(head)) return `it is a text file (${size} bytes), not a binary ONNX protobuf: export the model to ONNX and point model.path at that file`;
  }
  if (/exceeds|truncated|unexpected end|past the end/i.test(problem)) return `the file looks truncated (${problem}): copy or export it again`;
  return `it does not parse as an ONNX protobuf (${problem}): export the model to ONNX again`;
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0x80) text++;
  return text === bytes.length;
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

function checkTensors(parsed: ParsedYaml, side: 'inputs' | 'outputs', declared: ReadonlyArray<TensorSpec | undefined> | undefined, real: readonly ModelTensorInfo[]): Diagnostic[] {
  if (!declared) return [];
  const out: Diagnostic[] = [];
  const byName = new Map(real.map((t) => [t.name, t]));
  const declaredNames = new Set(declared.flatMap((d) => (d ? [d.name] : [])));
  const undeclared = real.map((t) => t.name).filter((n) => !declaredNames.has(n));
  // A model input offered as the fix for a misspelt declared name is that problem, not another one.
  const offered = new Set<string>();
  const noun = side === 'inputs' ? 'input' : 'output';
  declared.forEach((d, i) => {
    if (!d) return;
    const base = ['model', side, i];
    const t = byName.get(d.name);
    if (!t) {
      const range = valueRange(parsed, [...base, 'name']);
      const suggestions = nearest(d.name, undeclared.length > 0 ? undeclared : real.map((r) => r.name));
      const choices = suggestions.length > 0 ? suggestions : undeclared.slice(0, 3);
      for (const c of choices) offered.add(c);
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
  const missing = undeclared.filter((n) => !offered.has(n));
  // An entry the schema layer already rejects may be the declaration of a missing input: say nothing then.
  if (side === 'inputs' && declared.length > 0 && missing.length > 0 && declared.every((d) => d !== undefined)) {
    out.push(makeDiagnostic('AIOS325', `the model also has input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that model.inputs does not declare`, keyRange(parsed, ['model', 'inputs']), { path: ['model', 'inputs'] }));
  }
  return out;
}

const weightBytesPerElement: Record<UseCaseSections['precision'], number> = { fp32: 4, fp16: 2, int8: 1, 'int4-weight': 0.5 };

/** A memory budget below the model's own weights at the chosen precision cannot be met. */
function checkWeightsFitBudgets(parsed: ParsedYaml, s: UseCaseSections, metadata: ModelMetadata): Diagnostic[] {
  const weights = metadata.weightBytes - metadata.floatWeightBytes + metadata.floatWeightElements * weightBytesPerElement[s.precision];
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
    const re = compileGlob(glob);
    if (!metadata.nodeNames.some((n) => re.test(n))) {
      const named = metadata.nodeNames.filter((n) => n.length > 0).length;
      out.push(makeDiagnostic('AIOS318', `keepFloat glob '${glob}' matches no node of the model${named === 0 ? ' (its nodes have no names)' : ''}`, valueRange(parsed, ['quantization', 'keepFloat', i]), { path: ['quantization', 'keepFloat', i] }));
    }
  });
  return out;
}
