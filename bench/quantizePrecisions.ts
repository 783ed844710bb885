/**
 * The fp16 and int4-weight rows of `npm run bench -- quantize`: output SQNR against fp32 (on the
 * synthetic samples quantize measures on), file size, and latency in onnxruntime-node against
 * the fp32 model measured in the same run (one thread, median of 7; fresh child processes).
 */
import { join } from 'node:path';
import { cnnClassifier, tinyLlm, transformerEncoder } from '../src/core/onnx/fixtures';
import { writeModelFile } from '../src/core/onnx/write';
import { runChild, type BenchTable, type Cell } from './harness';

interface ChildResult {
  readonly ms: number;
  readonly latencyMs?: number;
  readonly sqnrDb?: number;
  readonly sizeBefore?: number;
  readonly sizeAfter?: number;
}

export async function precisionTable(dir: string, child: string): Promise<BenchTable> {
  const cases = [
    { label: 'CNN classifier 3x224x224', model: cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), precisions: ['fp16'] },
    { label: 'transformer block 1x128x256', model: transformerEncoder({ model: 256, heads: 8, ffn: 1024 }), precisions: ['fp16', 'int4-weight'] },
    { label: 'tiny decoder LLM d=64', model: tinyLlm({ model: 64, heads: 4, layers: 2, vocab: 256, maxPositions: 512 }), precisions: ['int4-weight'] },
  ];
  const rows: Cell[][] = [];
  for (const c of cases) {
    const path = join(dir, `${c.label.replace(/\W+/g, '_')}.onnx`);
    await writeModelFile(c.model, path);
    const fp32 = await runChild<ChildResult>(child, ['latency', path]);
    for (const precision of c.precisions) {
      const out = join(dir, `${c.label.replace(/\W+/g, '_')}.${precision}.onnx`);
      const q = await runChild<ChildResult>(child, ['quantize', path, '8', 'minmax', out, 'synthetic', precision]);
      const lq = await runChild<ChildResult>(child, ['latency', out]);
      rows.push([c.label, precision, q.sqnrDb!.toFixed(1), (q.sizeBefore! / 2 ** 20).toFixed(2), (q.sizeAfter! / 2 ** 20).toFixed(2), fp32.latencyMs!.toFixed(2), lq.latencyMs!.toFixed(2), (lq.latencyMs! / fp32.latencyMs!).toFixed(2)]);
    }
  }
  return {
    title: 'fp16 and int4-weight vs fp32 (synthetic weights and samples; latency 1 thread, median of 7)',
    columns: ['model', 'precision', 'SQNR dB', 'size fp32 MiB', 'size MiB', 'fp32 ms', 'ms', 'ms / fp32'],
    rows,
    notes: ['goals: fp16 >= 60 dB, int4-weight >= 15 dB; onnxruntime has few float16 kernels on x64 CPUs and casts around the others, so fp16 is not expected to be faster there'],
  };
}
