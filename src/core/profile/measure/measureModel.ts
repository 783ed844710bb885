/**
 * `--measure`: runs a model on this host in onnxruntime-node and times it. Two sessions with
 * the same options: one timed without profiling (warm-up runs, then p50/p90/p99 over the timed
 * runs), one with `enableProfiling` whose Chrome-trace profile gives the time of every kernel,
 * attributed to the model's nodes. Runs in the job process (the profile job), never on the
 * extension host. Sessions are made here rather than with core/runtime's openSession, which
 * has no profiling and adds its own abort handling around each timed run.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { Graph } from '../../onnx/model';
import { readModelFile } from '../../onnx/read';
import { loadOrt } from '../../runtime/session';
import { resolveInputSizes, type GivenSizes } from '../../onnx/shape/inputSizes';
import { attributeKernels, type KernelAttribution } from './attributeKernels';
import { inputTensors, type InputTensorSpec } from './inputTensors';
import { parseOrtTrace } from './ortTrace';
import { latencyPercentiles, type LatencyPercentiles } from './statistics';

export type OrtModule = typeof Ort;

export interface MeasureOptions {
  /** Sizes for dynamic input dims (a use case's declared shapes, `--input`); the rest default (inputSizes.ts). */
  readonly given?: GivenSizes;
  readonly warmupRuns?: number;
  /** Timed runs: at least minRuns, more while the total stays under targetMs, at most maxRuns. */
  readonly minRuns?: number;
  readonly maxRuns?: number;
  readonly targetMs?: number;
  /** Runs of the profiling session (per-kernel medians over them). */
  readonly profileRuns?: number;
  /** onnxruntime's intra-op threads; default: onnxruntime's own choice (the physical cores). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (stage: string, fraction: number) => void;
  /** Milliseconds from an arbitrary origin (tests pass their own clock). */
  readonly now?: () => number;
  /** Loads onnxruntime-node (tests and benchmarks may pass a preloaded module). */
  readonly loadOrt?: () => Promise<OrtModule>;
}

export interface HostMeasurement extends LatencyPercentiles, KernelAttribution {
  readonly warmupRuns: number;
  /** Runs of the profiling session the per-layer times are medians over. */
  readonly profiledRuns: number;
  readonly ortVersion: string;
  /** The sizes the model ran at. */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly dims: readonly number[] }>;
}

/** onnxruntime could not load or run the model; the message says which and why, in one line. */
export class MeasureError extends Error {}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'no reason given';
}

function feeds(ort: OrtModule, specs: readonly InputTensorSpec[]): Record<string, Ort.Tensor> {
  return Object.fromEntries(specs.map((s) => [s.name, new ort.Tensor(s.type, s.data, s.dims)]));
}

async function createSession(ort: OrtModule, modelPath: string, options: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(modelPath, options);
  } catch (e) {
    throw new MeasureError(`onnxruntime-node ${ort.env.versions.node ?? ''} cannot load ${basename(modelPath)}: ${firstLine(e)}`);
  }
}

/** `x=1×3×224×224, ids=1×128` */
function describeSpecs(specs: readonly InputTensorSpec[]): string {
  return specs.map((s) => `${s.name}=${s.dims.join('×')}`).join(', ');
}

async function runOnce(session: Ort.InferenceSession, input: Record<string, Ort.Tensor>, modelPath: string, specs: readonly InputTensorSpec[]): Promise<void> {
  try {
    await session.run(input);
  } catch (e) {
    throw new MeasureError(
      `onnxruntime-node cannot run ${basename(modelPath)} with inputs ${describeSpecs(specs)}: ${firstLine(e)}. ` +
        'If other input sizes are valid for this model, give them (--input NAME=d0,d1,... or the use case\'s model.inputs).',
    );
  }
}

export async function measureModel(modelPath: string, options: MeasureOptions = {}): Promise<HostMeasurement> {
  const { signal } = options;
  const now = options.now ?? (() => performance.now());
  const progress = options.progress ?? (() => undefined);
  const warmupRuns = options.warmupRuns ?? 3;
  const minRuns = options.minRuns ?? 10;
  const maxRuns = options.maxRuns ?? 200;
  const targetMs = options.targetMs ?? 2000;
  const profileRuns = options.profileRuns ?? 5;

  const model = await readModelFile(modelPath, { signal });
  const graph: Graph = model.graph;
  const sizes = resolveInputSizes(graph, options.given);
  const specs = inputTensors(graph, sizes);
  const ort = await (options.loadOrt ?? loadOrt)();
  const input = feeds(ort, specs);
  // Errors reach the user through MeasureError; onnxruntime's own log would repeat them on stderr.
  const base: Ort.InferenceSession.SessionOptions = { logSeverityLevel: 4, ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }) };

  progress('load', 0);
  const timed = await createSession(ort, modelPath, base);
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmupRuns; i++) {
      signal?.throwIfAborted();
      await runOnce(timed, input, modelPath, specs);
    }
    let total = 0;
    while (samples.length < maxRuns && (samples.length < minRuns || total < targetMs)) {
      signal?.throwIfAborted();
      const start = now();
      await runOnce(timed, input, modelPath, specs);
      const ms = now() - start;
      samples.push(ms);
      total += ms;
      progress('time', Math.min(0.8, 0.8 * Math.max(samples.length / minRuns, total / targetMs) * (samples.length >= minRuns ? 1 : 0.99)));
    }
  } finally {
    await timed.release();
  }

  signal?.throwIfAborted();
  progress('profile', 0.8);
  const dir = await mkdtemp(join(tmpdir(), 'aios-ort-profile-'));
  let attribution: KernelAttribution;
  try {
    const profiled = await createSession(ort, modelPath, { ...base, enableProfiling: true, profileFilePrefix: join(dir, 'ort') });
    try {
      await runOnce(profiled, input, modelPath, specs); // its first run pays for allocations; not in the medians below.
      for (let i = 0; i < profileRuns; i++) {
        signal?.throwIfAborted();
        await runOnce(profiled, input, modelPath, specs);
      }
      profiled.endProfiling();
    } finally {
      await profiled.release();
    }
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    if (files.length === 0) throw new MeasureError(`onnxruntime-node wrote no profile for ${basename(modelPath)} (looked in ${dir})`);
    const trace = parseOrtTrace(await readFile(join(dir, files[0]!), 'utf8'), { skipRuns: 1 });
    attribution = attributeKernels(graph, trace.kernels);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  progress('done', 1);
  return {
    ...latencyPercentiles(samples),
    ...attribution,
    warmupRuns,
    profiledRuns: profileRuns,
    ortVersion: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown',
    inputs: specs.map((s) => ({ name: s.name, dims: s.dims })),
  };
}
