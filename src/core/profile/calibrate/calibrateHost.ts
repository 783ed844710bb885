/**
 * Calibrates `host-cpu`: runs the micro-benchmark suite (microModels.ts) in onnxruntime-node on
 * this machine and turns it into the figures the estimator uses.
 * - Kernel speeds: every benchmark op's time is its kernel's lower quartile over the profiled
 *   runs of one session (onnxruntime's own per-kernel profile, the same one `--measure` reads), so a
 *   run's fixed costs never enter it; speed = FLOPs or bytes / time, per kernel kind and shape
 *   (rateTable.ts interpolates between the shapes).
 * - Fixed costs: the median wall time of a one-node run (the runtime call, inputs, outputs) and,
 *   from a 64-node chain of tiny ops timed alternately with it, the time each further node adds
 *   (onnxruntime's dispatch between kernels): medians of alternated runs, as `--measure` takes
 *   its p50.
 * Runs in the job process.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpClass } from '../../compute/words';
import { modelCost } from '../../onnx/cost';
import { inferShapes } from '../../onnx/shape';
import { writeModelBytes } from '../../onnx/write';
import type { Model } from '../../onnx/model';
import type { HostCalibration } from '../../soc/hostCalibration';
import { loadOrt } from '../../runtime/session';
import { attributeKernels } from '../measure/attributeKernels';
import type { OrtModule } from '../measure/measureModel';
import { parseOrtTrace } from '../measure/ortTrace';
import { median } from '../measure/statistics';
import { describeKernel, type KernelKind } from './kernelKinds';
import { helperNode, microSuite, tinyChain } from './microModels';
import type { RatePoint } from './rateTable';

export interface CalibrateOptions {
  readonly cpuModel: string;
  readonly logicalCores: number;
  /** Level-2 caches of the cores, bytes (the OS's figure; see cacheBytesFromOs). */
  readonly cacheBytes: number;
  /** onnxruntime's NCHWc block on this CPU (see nchwcBlockFromOs). */
  readonly nchwcBlock: number;
  /** Wall time to spend on profiled runs of the suite, ms (at least `minRuns` runs are made). Default 4000. */
  readonly budgetMs?: number;
  readonly minRuns?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (benchmark: string, fraction: number) => void;
  readonly now?: () => number;
  readonly loadOrt?: () => Promise<OrtModule>;
  /** Clock for measuredAt. */
  readonly date?: () => Date;
}

/** One benchmark op as measured. */
export interface MeasuredBenchmark {
  readonly name: string;
  readonly op: string;
  readonly kind: KernelKind;
  readonly dims: readonly [number, number, number];
  readonly unit: 'flops' | 'bytes';
  /** FLOPs or bytes of one execution. */
  readonly work: number;
  /** Kernel time (lower quartile over the runs), ms. */
  readonly ms: number;
}

function feedsFor(ort: OrtModule, model: Model): Record<string, InstanceType<OrtModule['Tensor']>> {
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
  for (const input of model.graph.inputs) {
    const dims = input.type?.kind === 'tensor' ? (input.type.shape ?? []).map((d) => (typeof d === 'number' ? d : 1)) : [];
    const size = dims.reduce((a, b) => a * b, 1);
    // Values vary so that min/max-driven kernels (DynamicQuantizeLinear) see a real range.
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    feeds[input.name] = new ort.Tensor('float32', data, dims);
  }
  return feeds;
}

/**
 * The order statistic of a kernel's times over the runs: the lower quartile. Other processes
 * only ever add time (a kernel longer than the scheduler's slice on a loaded machine is
 * preempted in most runs, which moves even its median), so the lower quartile is the repeatable
 * figure; on a quiet machine it is within a few per cent of the median.
 */
const kernelQuantile = 0.25;

/**
 * Profiled runs of the suite: the lower-quartile kernel time of every model node, ms. At least
 * `minRuns` runs (after one untimed warm-up run), more while within the budget.
 */
async function profileSuite(ort: OrtModule, model: Model, options: CalibrateOptions): Promise<{ byNode: Map<string, number>; runs: number }> {
  const now = options.now ?? (() => performance.now());
  const dir = await mkdtemp(join(tmpdir(), 'aios-calibrate-'));
  try {
    const session = await ort.InferenceSession.create(await writeModelBytes(model), { logSeverityLevel: 4, enableProfiling: true, profileFilePrefix: join(dir, 'ort') });
    const feeds = feedsFor(ort, model);
    const budget = options.budgetMs ?? 4000;
    const minRuns = options.minRuns ?? 5;
    let runs = 0;
    try {
      await session.run(feeds);
      const start = now();
      while (runs < minRuns || (now() - start < budget && runs < 60)) {
        options.signal?.throwIfAborted();
        await session.run(feeds);
        runs++;
        options.progress?.(`micro-benchmarks, run ${runs}`, 0.15 + 0.8 * Math.min(1, Math.max(runs / minRuns, (now() - start) / budget)));
      }
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file) throw new Error(`onnxruntime wrote no profile while calibrating host-cpu (looked in ${dir})`);
    const trace = parseOrtTrace(await readFile(join(dir, file), 'utf8'), { skipRuns: 1, quantile: kernelQuantile });
    const attributed = attributeKernels(model.graph, trace.kernels);
    return { byNode: new Map(attributed.layers.map((l) => [l.node, l.ms])), runs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The runtime's fixed costs, s: per run (a one-node model's median run) and per node (what each
 * of 63 more tiny nodes adds, from the two models' medians; their runs alternate).
 */
async function fixedCosts(ort: OrtModule, options: CalibrateOptions): Promise<{ runS: number; nodeS: number }> {
  const now = options.now ?? (() => performance.now());
  const models = [tinyChain(1), tinyChain(64)];
  const sessions = await Promise.all(models.map(async (m) => ort.InferenceSession.create(await writeModelBytes(m), { logSeverityLevel: 4 })));
  try {
    const feeds = { x: new ort.Tensor('float32', new Float32Array(8).fill(0.25), [1, 8]) };
    const samples: number[][] = [[], []];
    for (const s of sessions) for (let i = 0; i < 20; i++) await s.run(feeds);
    const start = now();
    for (let round = 0; round < 400 && (round < 60 || now() - start < 1500); round++) {
      options.signal?.throwIfAborted();
      for (const [i, s] of sessions.entries()) {
        // Blocks of 5 runs: a session's thread pool spins for a while after its run and would slow the other's first one.
        for (let k = 0; k < 5; k++) {
          const t = now();
          await s.run(feeds);
          samples[i]!.push(now() - t);
        }
      }
    }
    const one = median(samples[0]!)! / 1000;
    const many = median(samples[1]!)! / 1000;
    const nodeS = Math.max(0, (many - one) / 63);
    return { runS: Math.max(0, one - nodeS), nodeS };
  } finally {
    for (const s of sessions) await s.release();
  }
}

/** The suite's benchmark ops with their kinds and measured times. */
async function measuredBenchmarks(model: Model, names: readonly string[], byNode: ReadonlyMap<string, number>): Promise<MeasuredBenchmark[]> {
  const shapes = await inferShapes(model);
  const cost = modelCost(model, shapes);
  const weights = new Set(model.graph.initializers.map((t) => t.name));
  const result: MeasuredBenchmark[] = [];
  for (const entry of cost.nodes) {
    const node = entry.node;
    const ms = byNode.get(node.name);
    const index = /^\/b(\d+)\//.exec(node.name)?.[1];
    if (ms === undefined || ms <= 0 || index === undefined || helperNode.test(node.name)) continue;
    const shape = describeKernel(node, shapes, weights, entry.cost.flops);
    if (!shape) continue;
    result.push({ name: `${names[Number(index)] ?? node.name}: ${node.opType}`, op: node.opType, kind: shape.kind, dims: shape.dims, unit: shape.unit, work: shape.work, ms });
  }
  return result;
}

const classOfKind: Partial<Record<KernelKind, OpClass>> = { conv: 'conv', conv1x1: 'conv', depthwise: 'depthwise', matmul: 'matmul' };

/** The calibration figures from the measurements (pure: tests give it made-up measurements). */
export function calibrationFromMeasurements(
  benchmarks: readonly MeasuredBenchmark[],
  fixed: { runS: number; nodeS: number },
  context: { ortVersion: string; cpuModel: string; logicalCores: number; cacheBytes: number; nchwcBlock: number; measuredAt: string; runs: number },
): HostCalibration {
  const kernels: RatePoint[] = benchmarks.map((b) => ({ kind: b.kind, dims: b.dims, rate: b.work / (b.ms / 1000) }));
  const dense = kernels.filter((k) => classOfKind[k.kind] !== undefined);
  if (dense.length === 0) throw new Error('the host-cpu calibration timed no Conv or MatMul kernel; onnxruntime\'s profile may have changed format');
  const peak = Math.max(...dense.map((k) => k.rate));
  const efficiency: Partial<Record<OpClass, number>> = {};
  for (const cls of new Set(Object.values(classOfKind))) {
    const rates = dense.filter((k) => classOfKind[k.kind] === cls).map((k) => k.rate);
    if (rates.length > 0) efficiency[cls] = Math.min(1, Math.max(1e-4, median(rates)! / peak));
  }
  // Streaming bandwidths: the binary elementwise kernels' bytes/s on the tensor inside and the one beyond the caches.
  const binary = kernels.filter((k) => k.kind === 'binary').sort((a, b) => a.dims[0] - b.dims[0]);
  const inCache = binary.filter((k) => k.dims[0] <= context.cacheBytes).map((k) => k.rate);
  const beyond = binary.filter((k) => k.dims[0] > context.cacheBytes).map((k) => k.rate);
  const dramBytesPerS = median(beyond) ?? median(binary.map((k) => k.rate)) ?? 10e9;
  return {
    version: 3,
    cpuModel: context.cpuModel,
    logicalCores: context.logicalCores,
    ortVersion: context.ortVersion,
    measuredAt: context.measuredAt,
    runs: context.runs,
    peakFp32OpsPerS: peak,
    efficiency,
    overheadS: fixed.nodeS,
    runS: fixed.runS,
    dramBytesPerS,
    cacheBytes: context.cacheBytes,
    nchwcBlock: context.nchwcBlock,
    cacheBytesPerS: Math.max(median(inCache) ?? dramBytesPerS, dramBytesPerS),
    kernels: kernels.map((k) => ({ kind: k.kind, dims: [...k.dims], rate: k.rate })),
    benchmarks: benchmarks.map((b) => ({ name: b.name, kind: b.kind, unit: b.unit, work: b.work, ms: b.ms })),
  };
}

export async function calibrateHost(ortVersion: string, options: CalibrateOptions): Promise<HostCalibration> {
  const ort = await (options.loadOrt ?? loadOrt)();
  options.progress?.('fixed costs per run and per node', 0);
  const fixed = await fixedCosts(ort, options);
  options.progress?.('micro-benchmarks', 0.15);
  const suite = microSuite();
  const { byNode, runs } = await profileSuite(ort, suite.model, options);
  const benchmarks = await measuredBenchmarks(suite.model, suite.names, byNode);
  options.progress?.('done', 1);
  return calibrationFromMeasurements(benchmarks, fixed, {
    ortVersion,
    cpuModel: options.cpuModel,
    logicalCores: options.logicalCores,
    cacheBytes: options.cacheBytes,
    nchwcBlock: options.nchwcBlock,
    measuredAt: (options.date?.() ?? new Date()).toISOString(),
    runs,
  });
}
