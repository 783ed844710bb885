/**
 * `npm run bench -- quantize`: int8 quantization of builder models (synthetic weights and
 * synthetic calibration data, labelled as such) against baselines measured in the same run:
 * - quantize wall time vs running the same calibration samples once through fp32 (goal <= 1.5x),
 *   both in fresh processes, alternated for several rounds: medians and the ratio of medians;
 * - peak RSS of the quantize process (goal <= 3 GiB for a 1024x1024 dense-output CNN with ~200 activations);
 * - int8 vs fp32 latency in onnxruntime-node, one thread (goal: int8 faster);
 * - output SQNR per calibration method.
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

/** fp32 pass and quantize alternated `rounds` times, each in a fresh process. */
export async function timeQuantize(path: string, out: string, samples: number, rounds: number, data = 'synthetic') {
  const fp32: QuantizeChildResult[] = [];
  const quantize: QuantizeChildResult[] = [];
  for (let r = 0; r < rounds; r++) {
    fp32.push(await runChild<QuantizeChildResult>(quantizeChild, ['fp32', path, String(samples), data]));
    quantize.push(await runChild<QuantizeChildResult>(quantizeChild, ['quantize', path, String(samples), 'minmax', out, data]));
  }
  const fp32Ms = median(fp32.map((r) => r.ms));
  const quantizeMs = median(quantize.map((r) => r.ms));
  return {
    fp32Ms,
    quantizeMs,
    ratio: quantizeMs / fp32Ms,
    ratios: quantize.map((q, k) => q.ms / fp32[k]!.ms),
    peakRssBytes: Math.max(...quantize.map((q) => q.peakRssBytes)),
    fp32PeakRssBytes: Math.max(...fp32.map((q) => q.peakRssBytes)),
    last: quantize.at(-1)!,
  };
}

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-quantize-'));
  try {
    const cases = [
      // U-Net-like: 5 levels, 7 Conv/BatchNorm/Relu blocks per level each way, Resize + Concat skips.
      { label: 'U-Net 3x1024x1024', model: denseCnn({ name: 'unet', inputShape: [1, 3, 1024, 1024], channels: [8, 16, 32, 64, 128], blocks: 7 }), samples: 2, rounds: 3, methods: false },
      // Calibration sets are tens of samples (the SPEC's example uses 64): 32 here.
      { label: 'CNN classifier 3x224x224', model: cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), samples: 32, rounds: 3, methods: true },
    ];
    const timingRows: Cell[][] = [];
    const latencyRows: Cell[][] = [];
    const methodRows: Cell[][] = [];
    const notes: string[] = [];
    const timing: BenchTable = {
      title: 'quantize (int8, minmax) vs one fp32 pass over the same synthetic calibration samples (fresh processes, alternated; medians)',
      columns: ['model', 'activations', 'samples', 'rounds', 'fp32 pass s', 'quantize s', 'ratio', 'ratio per round', 'quantize peak RSS GiB', 'fp32 pass peak RSS GiB'],
      rows: timingRows,
      notes,
    };
    const latency: BenchTable = { title: 'latency in onnxruntime-node (1 thread, median of 7 after a warm-up)', columns: ['model', 'fp32 ms', 'int8 ms', 'int8 / fp32', 'size fp32 MiB', 'size int8 MiB'], rows: latencyRows };
    const methods: BenchTable = { title: 'output SQNR per calibration method (synthetic data; measured on the calibration samples)', columns: ['model', 'minmax dB', 'percentile dB', 'entropy dB'], rows: methodRows };
    for (const c of cases) {
      const path = join(dir, `${c.label.replace(/\W+/g, '_')}.onnx`);
      await writeModelFile(c.model, path);
      const out = join(dir, `${c.label.replace(/\W+/g, '_')}.int8.onnx`);
      const t = await timeQuantize(path, out, c.samples, c.rounds);
      timingRows.push([c.label, activations(c.model), c.samples, c.rounds, (t.fp32Ms / 1000).toFixed(1), (t.quantizeMs / 1000).toFixed(1), t.ratio.toFixed(2), t.ratios.map((r) => r.toFixed(2)).join(' '), gib(t.peakRssBytes), gib(t.fp32PeakRssBytes)]);
      notes.push(`${c.label}: quantize/fp32 ${t.ratio.toFixed(2)}x (goal <= 1.5x: ${t.ratio <= 1.5 ? 'met' : 'missed'}), peak RSS ${gib(t.peakRssBytes)} GiB (goal <= 3 GiB: ${t.peakRssBytes <= 3 * 2 ** 30 ? 'met' : 'missed'})`);
      const lf = await runChild<QuantizeChildResult>(quantizeChild, ['latency', path, '7', '1']);
      const lq = await runChild<QuantizeChildResult>(quantizeChild, ['latency', out, '7', '1']);
      latencyRows.push([c.label, lf.latencyMs!.toFixed(1), lq.latencyMs!.toFixed(1), (lq.latencyMs! / lf.latencyMs!).toFixed(2), (t.last.sizeBefore! / 2 ** 20).toFixed(2), (t.last.sizeAfter! / 2 ** 20).toFixed(2)]);
      const sqnr: string[] = [t.last.sqnrDb!.toFixed(1)];
      // The other methods only on the small model: each is one more full quantization.
      if (c.methods) for (const method of ['percentile', 'entropy']) sqnr.push((await runChild<QuantizeChildResult>(quantizeChild, ['quantize', path, String(Math.min(c.samples, 8)), method, out])).sqnrDb!.toFixed(1));
      methodRows.push([c.label, ...sqnr]);
    }
    notes.push('quantize includes reading the model, preparing it, calibration, writing the result and measuring its output SQNR (one int8 pass over the samples); the fp32 pass includes reading the model and opening its session');
    return [timing, latency, methods, await precisionTable(dir, quantizeChild)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
