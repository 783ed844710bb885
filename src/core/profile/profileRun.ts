import type { EngineKind, Precision } from '../compute/words';
import { nearest } from '../diagnostics/didYouMean';
import type { FileSystem } from '../fs';
import { modelCost } from '../onnx/cost';
import type { Dim, Model } from '../onnx/model';
import { OnnxFormatError, readModelFile } from '../onnx/read';
import { inferShapes, InputShapeError } from '../onnx/shape/infer';
import { resolveInputSizes } from '../onnx/shape/inputSizes';
import type { Catalog, HostInfo } from '../soc/catalog';
import { hostCpuId } from '../soc/catalog/hostCpu';
import { loadCatalog } from '../soc/loadCatalog';
import type { SocTarget } from '../soc/schema';
import { findFiles, useCaseSuffixes } from '../workspace/findFiles';
import { findWorkspaceRoot } from '../workspace/root';
import type { UseCase } from '../usecase/schema';
import { profileBudgets, withBudgets } from './budgets';
import { ecuLoad, type EcuMember } from './ecu';
import { elementBytes } from './engineModel';
import { estimateTarget, type AnalysedModel } from './estimate';
import { decoderInputs, kvBytesPerToken, llmContexts, stepShapes } from './llm';
import { nativePrecision } from './precision';
import type { LlmProfile, ProfileBudgets, ProfileResult, TargetProfile } from './result';
import { splitCurve } from './split';
import { hostKernelModel, type HostKernelModel } from './calibrate/hostKernelModel';

/** What `aios profile` (and the profile job and pipeline stage) is asked to do. */
export interface ProfileRequest {
  /** A model (`.onnx`) or a use case (`*.usecase.yaml`); with `ecu`, a folder or file whose workspace is searched. */
  readonly input: string;
  /** SoC ids; for a use case they restrict its targets. Default: the use case's targets, or `host-cpu`. */
  readonly targets?: readonly string[];
  readonly precision?: Precision;
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  /** Profile every use case deployed on this ECU together (`--ecu`). */
  readonly ecu?: string;
}

/** A use case read and validated by the caller (the pipeline's validate stage). */
export interface ValidUseCase {
  readonly file: string;
  readonly useCase: UseCase;
  /** The model, resolved inside the workspace. */
  readonly model: { readonly path: string };
}

export interface ProfileProgress {
  readonly stage: string;
  readonly fraction?: number;
  readonly message?: string;
}

export interface ProfileDeps {
  readonly fs: FileSystem;
  readonly host: HostInfo;
  readonly signal?: AbortSignal;
  readonly progress?: (progress: ProfileProgress) => void;
  /**
   * Reads and validates a use case (the pipeline's validate stage does; passed in so that
   * profiling does not depend on the pipeline): the use case, or why it is not valid.
   */
  readonly loadUseCase?: (file: string) => Promise<{ readonly loaded?: ValidUseCase; readonly problem: string }>;
}

/** Bad input (unknown target, unreadable model, invalid use case): the CLI exits 2 with the message. */
export class ProfileInputError extends Error {}

/** Precision default of a plain model: the model's own. */
export const cloudTargetId = 'cloud-gpu';

const isUseCase = (path: string) => useCaseSuffixes.some((s) => path.endsWith(s));

/** Shape inference and cost of a model at the given input sizes (dynamic dims defaulted). */
export async function analyseModel(model: Model, given: Readonly<Record<string, readonly Dim[]>>, signal?: AbortSignal): Promise<AnalysedModel> {
  const sizes = resolveInputSizes(model.graph, given);
  const shapes = await inferShapes(model, { inputShapes: { ...sizes.shapes, ...given }, ...(signal ? { signal } : {}) });
  return { model, shapes, cost: modelCost(model, shapes) };
}

async function openModel(path: string, shown: string, signal?: AbortSignal): Promise<Model> {
  try {
    return await readModelFile(path, signal ? { signal } : {});
  } catch (e) {
    signal?.throwIfAborted();
    if (e instanceof OnnxFormatError) throw new ProfileInputError(`${shown}: ${e.message}`);
    const code = (e as { cause?: { code?: unknown }; code?: unknown }).cause?.code ?? (e as { code?: unknown }).code;
    if (code === 'ENOENT') throw new ProfileInputError(`${shown}: no such file`);
    throw new ProfileInputError(`${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function loadUseCase(file: string, deps: ProfileDeps): Promise<ValidUseCase> {
  if (!deps.loadUseCase) throw new Error('profiling a use case needs a use-case loader (ProfileDeps.loadUseCase)');
  const { loaded, problem } = await deps.loadUseCase(file);
  if (!loaded) throw new ProfileInputError(`${file}: the use case does not validate (${problem}); run aios validate ${file}`);
  return loaded;
}

function resolveTarget(catalog: { get(id: string): SocTarget | undefined; ids(): string[] }, id: string): SocTarget {
  const target = catalog.get(id);
  if (target) return target;
  const near = nearest(id, catalog.ids());
  throw new ProfileInputError(`unknown target '${id}'${near.length > 0 ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''} (aios targets lists them)`);
}

interface TargetJob {
  readonly target: SocTarget;
  readonly engine?: EngineKind;
  readonly budgets?: ProfileBudgets;
}

/** The calibrated host's measured kernel speeds, for the built-in host-cpu target. */
function hostKernelsFor(target: SocTarget, host: HostInfo): { hostKernels?: HostKernelModel } {
  return target.id === hostCpuId && host.calibration ? { hostKernels: hostKernelModel(host.calibration) } : {};
}

/** Profiles one analysed model on targets: estimate, budgets, LLM figures when it has a KV cache. */
async function profileTargets(analysed: AnalysedModel, jobs: readonly TargetJob[], precision: Precision | undefined, deps: ProfileDeps, label = ''): Promise<TargetProfile[]> {
  const p = precision ?? nativePrecision(analysed.cost);
  const decoder = decoderInputs(analysed.model);
  const steps = decoder ? await llmSteps(analysed.model, decoder, deps.signal) : undefined;
  return jobs.map((job, i) => {
    deps.signal?.throwIfAborted();
    deps.progress?.({ stage: 'estimate', fraction: i / Math.max(1, jobs.length), message: `${label}${job.target.id}` });
    const options = { precision: p, ...(job.engine ? { engine: job.engine } : {}), ...(deps.signal ? { signal: deps.signal } : {}), ...hostKernelsFor(job.target, deps.host) };
    const estimate = estimateTarget(analysed, job.target, options);
    const row = withBudgets(estimate, job.target, job.budgets);
    if (decoder && steps) {
      const kvPerToken = kvBytesPerToken(decoder, elementBytes(row.precision).activation);
      const llm: LlmProfile = {
        kvBytesPerToken: kvPerToken,
        contexts: steps.map((s) => ({
          contextTokens: s.context,
          kvCacheBytes: kvPerToken * s.context,
          prefillTokensPerS: s.context / (estimateTarget(s.prefill, job.target, options).profile.latencyMs / 1e3),
          decodeTokensPerS: 1 / (estimateTarget(s.decode, job.target, options).profile.latencyMs / 1e3),
        })),
      };
      row.llm = llm;
    }
    return row;
  });
}

async function llmSteps(model: Model, decoder: NonNullable<ReturnType<typeof decoderInputs>>, signal?: AbortSignal) {
  const out = [];
  for (const context of llmContexts) {
    out.push({
      context,
      prefill: await analyseModel(model, stepShapes(decoder, context, 0), signal),
      decode: await analyseModel(model, stepShapes(decoder, 1, context), signal),
    });
  }
  return out;
}

/**
 * The cheap checks of a request, for callers that report bad input before starting a run:
 * the input exists, every named target is in the catalog (did-you-mean otherwise).
 */
export async function checkProfileRequest(request: ProfileRequest, deps: ProfileDeps): Promise<void> {
  const stat = await deps.fs.stat(request.input);
  if (!stat) throw new ProfileInputError(`${request.input}: no such file${request.ecu !== undefined ? ' or folder' : ''}`);
  if (request.ecu === undefined && stat.type === 'directory') throw new ProfileInputError(`${request.input} is a folder: name a model (.onnx) or a use case (*.usecase.yaml), or use --ecu NAME to profile the use cases of one ECU`);
  if (!request.targets?.length) return;
  const root = stat.type === 'directory' ? request.input : await findWorkspaceRoot(deps.fs, request.input);
  const { catalog } = await loadCatalog(deps.fs, root, deps.host, deps.signal);
  for (const id of request.targets) resolveTarget(catalog, id);
}

/**
 * `aios profile`: a model on `targets` (default host-cpu) at `precision` (default its own);
 * a use case on its targets with its budgets, precision and input shapes, plus the
 * vehicle-cloud split for placement split/cloud; with `ecu`, every use case of that ECU.
 */
export async function runProfile(request: ProfileRequest, deps: ProfileDeps): Promise<ProfileResult> {
  if (request.ecu !== undefined) return runEcuProfile(request, request.ecu, deps);
  const stat = await deps.fs.stat(request.input);
  if (!stat) throw new ProfileInputError(`${request.input}: no such file`);
  const root = await findWorkspaceRoot(deps.fs, request.input);
  const { catalog } = await loadCatalog(deps.fs, root, deps.host, deps.signal);
  if (!isUseCase(request.input)) {
    const targets = (request.targets?.length ? request.targets : ['host-cpu']).map((id) => resolveTarget(catalog, id));
    deps.progress?.({ stage: 'analyse', message: request.input });
    const model = await openModel(request.input, request.input, deps.signal);
    const analysed = await analyseShapes(model, request.inputShapes ?? {}, request.input, deps.signal);
    const results = await profileTargets(analysed, targets.map((target) => ({ target })), request.precision, deps);
    return { model: request.input, results };
  }
  const loaded = await loadUseCase(request.input, deps);
  return profileUseCase(loaded, catalog, request, deps);
}

/**
 * A validated use case on its targets (restricted or extended by `request.targets`), with its
 * budgets, precision and input shapes, plus the split for placement split/cloud. `opened`: the
 * model when the caller has it already (the pipeline's inspect stage).
 */
export async function profileUseCase(loaded: ValidUseCase, catalog: Catalog, request: Omit<ProfileRequest, 'input' | 'ecu'>, deps: ProfileDeps, opened?: Model): Promise<ProfileResult> {
  const { useCase } = loaded;
  const wanted = request.targets?.length ? new Set(request.targets) : undefined;
  for (const id of wanted ?? []) resolveTarget(catalog, id);
  const listed: Array<UseCase['targets'][number]> = useCase.targets.filter((t) => !wanted || wanted.has(t.soc));
  for (const id of wanted ?? []) if (!useCase.targets.some((t) => t.soc === id)) listed.push({ soc: id });
  const jobs: TargetJob[] = listed.map((t) => {
    const budgets = profileBudgets(t.budgets);
    return { target: resolveTarget(catalog, t.soc), ...(t.engine ? { engine: t.engine } : {}), ...(budgets ? { budgets } : {}) };
  });
  if (jobs.length === 0) jobs.push({ target: resolveTarget(catalog, 'host-cpu') });
  const model = opened ?? (await openModel(loaded.model.path, useCase.model.path, deps.signal));
  const analysed = await analyseShapes(model, { ...useCaseShapes(loaded), ...(request.inputShapes ?? {}) }, useCase.model.path, deps.signal);
  const precision = request.precision ?? useCase.quantization?.precision;
  const results = await profileTargets(analysed, jobs, precision, deps);
  const deployment = useCase.deployment;
  if (deployment && deployment.placement !== 'vehicle' && deployment.uplink) {
    const cloud = resolveTarget(catalog, cloudTargetId);
    const p = precision ?? nativePrecision(analysed.cost);
    const cloudEstimate = estimateTarget(analysed, cloud, { precision: p === 'int4-weight' ? 'fp16' : p });
    const uplink = { bitsPerS: deployment.uplink.bandwidth.value, rttS: deployment.uplink.rtt.value };
    for (const [i, row] of results.entries()) {
      const job = jobs[i] as TargetJob;
      const vehicle = estimateTarget(analysed, job.target, { precision: p, ...(job.engine ? { engine: job.engine } : {}) });
      row.split = splitCurve(analysed, vehicle, cloudEstimate, cloud.id, uplink, p === 'int8' ? 'int8' : p === 'fp32' ? 'native' : 'fp16');
    }
  }
  return { model: loaded.model.path, useCase: loaded.file, results };
}

function useCaseShapes(loaded: ValidUseCase): Record<string, Dim[]> {
  const out: Record<string, Dim[]> = {};
  for (const { name, shape } of loaded.useCase.model.inputs ?? []) if (shape) out[name] = [...shape];
  return out;
}

async function analyseShapes(model: Model, shapes: Readonly<Record<string, readonly Dim[]>>, shown: string, signal?: AbortSignal): Promise<AnalysedModel> {
  try {
    return await analyseModel(model, shapes, signal);
  } catch (e) {
    if (e instanceof InputShapeError) throw new ProfileInputError(`${shown}: ${e.message}`);
    throw e;
  }
}

/** Default rate of a use case without an fps budget: one inference per latency budget, else 10 fps. */
const assumedFps = (budgets: ProfileBudgets | undefined) => (budgets?.latencyMs ? 1000 / budgets.latencyMs : 10);

async function runEcuProfile(request: ProfileRequest, ecu: string, deps: ProfileDeps): Promise<ProfileResult> {
  const stat = await deps.fs.stat(request.input);
  if (!stat) throw new ProfileInputError(`${request.input}: no such file or folder`);
  const root = stat.type === 'directory' ? request.input : await findWorkspaceRoot(deps.fs, request.input);
  const { catalog } = await loadCatalog(deps.fs, root, deps.host, deps.signal);
  const members: Array<{ loaded: ValidUseCase; ecus: string }> = [];
  const seenEcus = new Set<string>();
  for (const file of await findFiles(deps.fs, [root], useCaseSuffixes, deps.signal)) {
    const { loaded } = deps.loadUseCase ? await deps.loadUseCase(file) : { loaded: undefined };
    const name = loaded?.useCase.deployment?.ecu;
    if (name !== undefined) seenEcus.add(name);
    if (loaded && name === ecu) members.push({ loaded, ecus: name });
  }
  if (members.length === 0) {
    const near = nearest(ecu, seenEcus);
    throw new ProfileInputError(`no valid use case under ${root} is deployed on ECU '${ecu}'${near.length > 0 ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : seenEcus.size > 0 ? ` (ECUs found: ${[...seenEcus].sort().join(', ')})` : ''}`);
  }
  // The SoC: --target, else the one most of the ECU's use cases list first.
  const counts = new Map<string, number>();
  for (const m of members) {
    const first = m.loaded.useCase.targets[0]?.soc;
    if (first) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  const socId = request.targets?.[0] ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'host-cpu';
  const target = resolveTarget(catalog, socId);
  const rows: TargetProfile[] = [];
  const ecuMembers: EcuMember[] = [];
  for (const [i, m] of members.entries()) {
    const { useCase } = m.loaded;
    deps.progress?.({ stage: 'estimate', fraction: i / members.length, message: useCase.name });
    const listed = useCase.targets.find((t) => t.soc === socId);
    const budgets = profileBudgets(listed?.budgets);
    const model = await openModel(m.loaded.model.path, useCase.model.path, deps.signal);
    const analysed = await analyseShapes(model, useCaseShapes(m.loaded), useCase.model.path, deps.signal);
    const [row] = await profileTargets(analysed, [{ target, ...(listed?.engine ? { engine: listed.engine } : {}), ...(budgets ? { budgets } : {}) }], request.precision ?? useCase.quantization?.precision, deps, `${useCase.name}: `);
    if (!row) continue;
    row.useCase = m.loaded.file;
    rows.push(row);
    ecuMembers.push({ file: m.loaded.file, name: useCase.name, fps: budgets?.fps ?? assumedFps(budgets), assumedFps: budgets?.fps === undefined, profile: row });
  }
  return { results: rows, ecu: ecuLoad(ecu, target, ecuMembers) };
}

