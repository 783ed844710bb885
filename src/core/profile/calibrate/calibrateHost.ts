/**
 * Calibrates `host-cpu`: times the micro-benchmarks (microModels.ts) in onnxruntime-node on
 * this machine and turns them into the figures the estimator uses (peak, efficiency per op
 * class, per-kernel overhead, cache and DRAM bandwidth), in the estimator's own terms: a
 * kernel's time is max(FLOPs / (peak x efficiency), bytes / bandwidth) + overhead, with FLOPs
 * and bytes counted by the cost model (src/core/onnx/cost). Runs in the job process.
 */
import type { OpClass } from '../../compute/words';
import { modelCost } from '../../onnx/cost';
import { inferShapes } from '../../onnx/shape';
import { writeModelBytes } from '../../onnx/write';
import type { HostCalibration } from '../../soc/hostCalibration';
import type { Model } from '../../onnx/model';
import { loadOrt } from '../../runtime/session';
import type { OrtModule } from '../measure/measureModel';
import { microBenchmarks, type MicroBenchmark } from './microModels';

export interface CalibrateOptions {
  readonly cpuModel: string;
  readonly logicalCores: number;
  /** Last-level cache, bytes (the OS's figure; see cacheBytesFromOs). */
  readonly cacheBytes: number;
  /** Time spent timing each benchmark, ms (after warm-up). */
  readonly msPerBenchmark?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (benchmark: string, fraction: number) => void;
  readonly now?: () => number;
  readonly loadOrt?: () => Promise<OrtModule>;
  /** Clock for measuredAt. */
  readonly date?: () => Date;
}

interface Timed {
  readonly bench: MicroBenchmark;
  /** The fastest run of `count` copies, ms: the machine's speed without other processes' interference (which only adds time). */
  readonly runMs: number;
  /** The same for `2 x count` copies (overhead benchmarks: not timed, equal to runMs). */
  readonly doubleMs: number;
  /** FLOPs and bytes (weights + activations in and out) of one copy of the op. */
  readonly flops: number;
  readonly bytes: number;
}

interface Runner {
  run(): Promise<void>;
  release(): Promise<void>;
}

async function openRunner(ort: OrtModule, model: Model): Promise<Runner> {
  const input = model.graph.inputs[0]!;
  const type = input.type;
  const dims: number[] = type?.kind === 'tensor' ? (type.shape ?? []).map((d) => (typeof d === 'number' ? d : 1)) : [];
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.25);
  const feeds = { [input.name]: new ort.Tensor('float32', data, dims) };
  const session = await ort.InferenceSession.create(await writeModelBytes(model), { logSeverityLevel: 4 });
  return { run: async () => void (await session.run(feeds)), release: () => session.release() };
}

/**
 * The fastest run of each model, ms. The models' runs alternate (in blocks), so that a stretch of
 * load from other processes slows all of them alike and the differences between them stay honest.
 */
async function timeModels(ort: OrtModule, models: readonly Model[], options: CalibrateOptions): Promise<number[]> {
  const now = options.now ?? (() => performance.now());
  const runners: Runner[] = [];
  try {
    for (const m of models) runners.push(await openRunner(ort, m));
    for (const r of runners) for (let i = 0; i < 2; i++) await r.run();
    const best = runners.map(() => Infinity);
    const budget = options.msPerBenchmark ?? 150;
    let total = 0;
    // In blocks: each session has its own thread pool, whose threads spin for a while after its run and slow the next session's first run.
    for (let round = 0; round < 3 || (total < budget && round < 250); round++) {
      for (const [i, r] of runners.entries()) {
        for (let k = 0; k < 5; k++) {
          options.signal?.throwIfAborted();
          const start = now();
          await r.run();
          const ms = now() - start;
          best[i] = Math.min(best[i]!, ms);
          total += ms;
        }
      }
    }
    return best;
  } finally {
    for (const r of runners) await r.release();
  }
}

async function timeBenchmark(ort: OrtModule, bench: MicroBenchmark, options: CalibrateOptions): Promise<Timed> {
  const model = bench.build(bench.count);
  const shapes = await inferShapes(model);
  const first = modelCost(model, shapes).nodes[0]?.cost;
  const flops = first?.flops ?? 0;
  const bytes = (first?.weightBytes ?? 0) + (first?.activationBytesIn ?? 0) + (first?.activationBytesOut ?? 0);
  const [runMs = 0, doubleMs = runMs] = await timeModels(ort, bench.opClass === 'overhead' ? [model] : [model, bench.build(2 * bench.count)], options);
  return { bench, runMs, doubleMs, flops, bytes };
}

/** Seconds per copy of the op without the per-kernel overhead: the time `count` more copies add (never below 1 ns). */
function opSeconds(t: Timed, overheadS: number): number {
  return Math.max(1e-9, (t.doubleMs - t.runMs) / 1000 / t.bench.count - overheadS);
}

export async function calibrateHost(ortVersion: string, options: CalibrateOptions): Promise<HostCalibration> {
  const ort = await (options.loadOrt ?? loadOrt)();
  const benches = microBenchmarks(options.cacheBytes);
  const timed: Timed[] = [];
  // The process's first session pays for starting onnxruntime's threads and growing its heap: warm them up untimed.
  await timeModels(ort, [benches[0]!.build(benches[0]!.count)], { ...options, msPerBenchmark: 20 });
  for (const [i, bench] of benches.entries()) {
    options.signal?.throwIfAborted();
    options.progress?.(bench.name, i / benches.length);
    timed.push(await timeBenchmark(ort, bench, options));
  }
  options.progress?.('done', 1);
  const find = (name: string) => timed.find((t) => t.bench.name === name) as Timed;
  const one = find('tiny op (1)');
  const many = find('tiny ops (64)');
  // The run's fixed cost (session, inputs, outputs) is what a one-node run costs beyond one kernel.
  const overheadS = Math.max(0, (many.runMs - one.runMs) / 1000 / (many.bench.count - one.bench.count));
  const runBaseMs = Math.max(0, one.runMs - overheadS * 1000);
  const rate = (t: Timed, of: 'flops' | 'bytes') => t[of] / opSeconds(t, overheadS);
  const cache = timed.find((t) => t.bench.opClass === 'cache') as Timed;
  const dram = timed.find((t) => t.bench.opClass === 'dram') as Timed;
  const classes = timed.filter((t): t is Timed & { bench: { opClass: OpClass } } => !['overhead', 'cache', 'dram'].includes(t.bench.opClass));
  const achieved = new Map(classes.map((t) => [t.bench.opClass, rate(t, 'flops')]));
  // The peak is the best dense kernel's rate; a light op that beats it (a pool counts 1 op per window element) is capped at efficiency 1.
  const peak = Math.max(achieved.get('conv') ?? 0, achieved.get('matmul') ?? 0) || Math.max(...achieved.values());
  const efficiency: Partial<Record<OpClass, number>> = {};
  for (const [cls, ops] of achieved) if (ops > 0) efficiency[cls] = Math.min(1, Math.max(1e-4, ops / peak));
  return {
    version: 2,
    cpuModel: options.cpuModel,
    logicalCores: options.logicalCores,
    ortVersion,
    measuredAt: (options.date?.() ?? new Date()).toISOString(),
    peakFp32OpsPerS: peak,
    efficiency,
    overheadS,
    runS: runBaseMs / 1000,
    dramBytesPerS: rate(dram, 'bytes'),
    cacheBytes: options.cacheBytes,
    cacheBytesPerS: Math.max(rate(cache, 'bytes'), rate(dram, 'bytes')),
    benchmarks: timed.map((t) => ({ name: t.bench.name, opClass: t.bench.opClass, flops: t.flops, bytes: t.bytes, msPerOp: opSeconds(t, overheadS) * 1000 })),
  };
}
