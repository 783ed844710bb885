/**
 * `npm run bench -- quantize`: int8 quantization of builder models (synthetic weights and
 * synthetic calibration data, labelled as such) against baselines measured in the same run:
 * - quantize wall time vs running the same calibration samples once through fp32 (goal <= 1.5x);
 * - peak RSS of the quantize process (goal <= 3 GiB for the 1024x1024 dense-output CNN);
 * - int8 vs fp32 latency in onnxruntime-node, one thread (goal: int8 faster);
 * - output SQNR per calibration method.
 * Each measurement runs in a fresh child process (bench/quantizeChild.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier, denseCnn } from '../src/core/onnx/fixtures';
import { inferShapes } from '../src/core/onnx/shape';
import { writeModelFile } from '../src/core/onnx/write';
import { runChild, type BenchTable, type Cell } from './harness';

export const name = 'quantize';

interface ChildResult {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly latencyMs?: number;
  readonly sqnrDb?: number;
  readonly sizeBefore?: number;
  readonly sizeAfter?: number;
}

const child = join(__dirname, 'quantizeChild.js');
const gib = (b: number) => (b / 2 ** 30).toFixed(2);

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-quantize-'));
  try {
    const cases = [
      { label: 'dense CNN 3x1024x1024', model: denseCnn({ inputShape: [1, 3, 1024, 1024], channels: [8, 16, 32, 64], blocks: 2 }), samples: 4, methods: false },
      { label: 'CNN classifier 3x224x224', model: cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), samples: 8, methods: true },
    ];
    const timingRows: Cell[][] = [];
    const latencyRows: Cell[][] = [];
    const methodRows: Cell[][] = [];
    const notes: string[] = [];
    const timing: BenchTable = { title: 'quantize (int8, minmax) vs one fp32 pass over the same synthetic calibration samples', columns: ['model', 'activations', 'samples', 'fp32 pass s', 'quantize s', 'ratio', 'quantize peak RSS GiB', 'fp32 pass peak RSS GiB'], rows: timingRows, notes };
    const latency: BenchTable = { title: 'latency in onnxruntime-node (1 thread, median of 7)', columns: ['model', 'fp32 ms', 'int8 ms', 'int8 / fp32', 'size fp32 MiB', 'size int8 MiB'], rows: latencyRows };
    const methods: BenchTable = { title: 'output SQNR per calibration method (synthetic data; measured on the calibration samples)', columns: ['model', 'minmax dB', 'percentile dB', 'entropy dB'], rows: methodRows };
    for (const c of cases) {
      const path = join(dir, `${c.label.replace(/\W+/g, '_')}.onnx`);
      await writeModelFile(c.model, path);
      const activations = [...(await inferShapes(c.model)).tensors.keys()].filter((t) => c.model.graph.nodes.some((n) => n.outputs.includes(t))).length;
      const fp32 = await runChild<ChildResult>(child, ['fp32', path, String(c.samples)]);
      const out = join(dir, `${c.label.replace(/\W+/g, '_')}.int8.onnx`);
      const q = await runChild<ChildResult>(child, ['quantize', path, String(c.samples), 'minmax', out]);
      const ratio = q.ms / fp32.ms;
      timingRows.push([c.label, activations, c.samples, (fp32.ms / 1000).toFixed(1), (q.ms / 1000).toFixed(1), ratio.toFixed(2), gib(q.peakRssBytes), gib(fp32.peakRssBytes)]);
      notes.push(`${c.label}: quantize/fp32 ${ratio.toFixed(2)}x (goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'missed'}), peak RSS ${gib(q.peakRssBytes)} GiB (goal <= 3 GiB: ${q.peakRssBytes <= 3 * 2 ** 30 ? 'met' : 'missed'})`);
      const lf = await runChild<ChildResult>(child, ['latency', path]);
      const lq = await runChild<ChildResult>(child, ['latency', out]);
      latencyRows.push([c.label, lf.latencyMs!.toFixed(1), lq.latencyMs!.toFixed(1), (lq.latencyMs! / lf.latencyMs!).toFixed(2), (q.sizeBefore! / 2 ** 20).toFixed(2), (q.sizeAfter! / 2 ** 20).toFixed(2)]);
      const sqnr: string[] = [q.sqnrDb!.toFixed(1)];
      // The other methods only on the small model: each is one more full quantization.
      if (c.methods) for (const method of ['percentile', 'entropy']) sqnr.push((await runChild<ChildResult>(child, ['quantize', path, String(Math.min(c.samples, 4)), method, out])).sqnrDb!.toFixed(1));
      methodRows.push([c.label, ...sqnr]);
    }
    notes.push('quantize includes reading the model, calibration, writing the result and measuring its output SQNR (one int8 pass over the samples)');
    return [timing, latency, methods];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
