/**
 * `npm run bench -- quantize`: int8 quantization of builder models (synthetic weights and
 * synthetic calibration data, labelled as such) against baselines measured in the same run:
 * - quantize wall time (minmax, percentile, entropy) vs running the same calibration samples once
 *   through fp32 (goal <= 1.5x), all in fresh processes, alternated for several rounds: medians
 *   and the ratio of medians;
 * - peak RSS of the quantize process (goal <= 3 GiB for a 1024x1024 dense-output CNN with ~200 activations);
 * - int8 vs fp32 latency in onnxruntime-node, one thread (goal: int8 faster);
 * - output SQNR per calibration method, on the samples quantize holds out (synthetic).
 * Each measurement runs in a fresh child process (bench/quantizeChild.ts). The ISNet
 * comparison on photographs is `npm run bench -- isnet` (quantizeIsnet.bench.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier, denseCnn } from '../src/core/onnx/fixtures';
import type { Model } from '../src/core/onnx/model';
import { writeModelFile } from '../src/core/onnx/write';
import { median, runChild, type BenchTable, type Cell } from './harness';
import { precisionTable } from './quantizePrecisions';

export const name = 'quantize';

export interface QuantizeChildResult {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly latencyMs?: number;
  readonly sqnrDb?: number;
  readonly sizeBefore?: number;
  readonly sizeAfter?: number;
}

export const quantizeChild = join(__dirname, 'quantizeChild.js');
export const gib = (b: number) => (b / 2 ** 30).toFixed(2);

/** Node outputs of the model: the activations a calibration could look at. */
function activations(model: Model): number {
  return model.graph.nodes.reduce((n, node) => n + node.outputs.filter((o) => o !== '').length, 0);
}

export const methods = ['minmax', 'percentile', 'entropy'] as const;

export interface MethodTiming {
  readonly method: string;
  readonly quantizeMs: number;
  /** Median of the quantize times / median of the fp32 passes. */
  readonly ratio: number;
  /** quantize / the fp32 pass of the same round. */
  readonly ratios: readonly number[];
  readonly peakRssBytes: number;
  readonly last: QuantizeChildResult;
}

/**
 * The fp32 pass and quantize with each method, alternated `rounds` times, each in a fresh
 * process; `out(method)` is where that method's result goes.
 */
export async function timeQuantize(path: string, out: (method: string) => string, samples: number, rounds: number, data = 'synthetic', which: readonly string[] = methods) {
  const fp32: QuantizeChildResult[] = [];
  const runs = new Map<string, QuantizeChildResult[]>(which.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    fp32.push(await runChild<QuantizeChildResult>(quantizeChild, ['fp32', path, String(samples), data]));
    for (const m of which) runs.get(m)!.push(await runChild<QuantizeChildResult>(quantizeChild, ['quantize', path, String(samples), m, out(m), data]));
  }
  const fp32Ms = median(fp32.map((r) => r.ms));
  const byMethod: MethodTiming[] = which.map((method) => {
    const q = runs.get(method)!;
    const quantizeMs = median(q.map((x) => x.ms));
    return { method, quantizeMs, ratio: quantizeMs / fp32Ms, ratios: q.map((x, k) => x.ms / fp32[k]!.ms), peakRssBytes: Math.max(...q.map((x) => x.peakRssBytes)), last: q.at(-1)! };
  });
  return { fp32Ms, fp32PeakRssBytes: Math.max(...fp32.map((q) => q.peakRssBytes)), byMethod };
}

/** One row per method of a timeQuantize result. */
export function timingRows(label: string, extra: Cell[], t: Awaited<ReturnType<typeof timeQuantize>>): Cell[][] {
  return t.byMethod.map((m) => [
    label,
    ...extra,
    m.method,
    (t.fp32Ms / 1000).toFixed(1),
    (m.quantizeMs / 1000).toFixed(1),
    m.ratio.toFixed(2),
    m.ratios.map((r) => r.toFixed(2)).join(' '),
    gib(m.peakRssBytes),
    gib(t.fp32PeakRssBytes),
    m.last.sqnrDb!.toFixed(1),
  ]);
}

export const timingColumns = ['method', 'fp32 pass s', 'quantize s', 'ratio', 'ratio per round', 'quantize peak RSS GiB', 'fp32 pass peak RSS GiB', 'held-out SQNR dB'];

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-quantize-'));
  try {
    const cases = [
      // U-Net-like: 5 levels, 7 Conv/BatchNorm/Relu blocks per level each way, Resize + Concat skips.
      { label: 'U-Net 3x1024x1024', model: denseCnn({ name: 'unet', inputShape: [1, 3, 1024, 1024], channels: [8, 16, 32, 64, 128], blocks: 7 }), samples: 2, rounds: 3 },
      // Calibration sets are tens of samples (the SPEC's example uses 64): 32 here.
      { label: 'CNN classifier 3x224x224', model: cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), samples: 32, rounds: 3 },
    ];
    const timingRowsOut: Cell[][] = [];
    const latencyRows: Cell[][] = [];
    const notes: string[] = [];
    const timing: BenchTable = {
      title: 'quantize (int8) vs one fp32 pass over the same synthetic calibration samples (fresh processes, alternated; medians)',
      columns: ['model', 'activations', 'samples', 'rounds', ...timingColumns],
      rows: timingRowsOut,
      notes,
    };
    const latency: BenchTable = { title: 'latency in onnxruntime-node (1 thread, median of 7 after a warm-up)', columns: ['model', 'fp32 ms', 'int8 ms', 'int8 / fp32', 'size fp32 MiB', 'size int8 MiB'], rows: latencyRows };
    for (const c of cases) {
      const path = join(dir, `${c.label.replace(/\W+/g, '_')}.onnx`);
      await writeModelFile(c.model, path);
      const out = (method: string) => join(dir, `${c.label.replace(/\W+/g, '_')}.${method}.int8.onnx`);
      const t = await timeQuantize(path, out, c.samples, c.rounds);
      timingRowsOut.push(...timingRows(c.label, [activations(c.model), c.samples, c.rounds], t));
      for (const m of t.byMethod) notes.push(`${c.label}, ${m.method}: quantize/fp32 ${m.ratio.toFixed(2)}x (goal <= 1.5x: ${m.ratio <= 1.5 ? 'met' : 'missed'}), peak RSS ${gib(m.peakRssBytes)} GiB (goal <= 3 GiB: ${m.peakRssBytes <= 3 * 2 ** 30 ? 'met' : 'missed'})`);
      const lf = await runChild<QuantizeChildResult>(quantizeChild, ['latency', path, '7', '1']);
      const lq = await runChild<QuantizeChildResult>(quantizeChild, ['latency', out('minmax'), '7', '1']);
      const last = t.byMethod[0]!.last;
      latencyRows.push([c.label, lf.latencyMs!.toFixed(1), lq.latencyMs!.toFixed(1), (lq.latencyMs! / lf.latencyMs!).toFixed(2), (last.sizeBefore! / 2 ** 20).toFixed(2), (last.sizeAfter! / 2 ** 20).toFixed(2)]);
    }
    notes.push('quantize includes reading the model, preparing it, calibration (fp32 with range outputs over every sample), writing the result and measuring its output SQNR (an int8 pass over the held-out quarter of the samples); the fp32 pass includes reading the model and opening its session');
    return [timing, latency, await precisionTable(dir, quantizeChild)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
