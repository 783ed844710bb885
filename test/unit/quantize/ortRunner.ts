/** Test helpers: run models in onnxruntime-node directly (an independent path from core/runtime). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes } from '../../../src/core/onnx/write';
import type { ActivationRunner } from '../../../src/core/quantize/int8';

export type Feeds = Record<string, ort.Tensor>;

export async function session(model: Model, options: ort.InferenceSession.SessionOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(await writeModelBytes(model), { logSeverityLevel: 3, intraOpNumThreads: 1, ...options });
}

export async function runOutputs(model: Model, samples: readonly Feeds[]): Promise<Float32Array[][]> {
  const s = await session(model);
  try {
    const out: Float32Array[][] = [];
    for (const feeds of samples) {
      const r = await s.run(feeds);
      out.push(s.outputNames.map((n) => Float32Array.from(r[n]!.data as Float32Array)));
    }
    return out;
  } finally {
    await s.release();
  }
}

/** Output SQNR in dB pooled over samples and outputs: total signal energy / total error energy. */
export function pooledSqnr(reference: readonly Float32Array[][], actual: readonly Float32Array[][]): number {
  let signal = 0;
  let noise = 0;
  reference.forEach((outs, s) =>
    outs.forEach((ref, k) => {
      const got = actual[s]![k]!;
      for (let i = 0; i < ref.length; i++) {
        signal += ref[i]! * ref[i]!;
        noise += (ref[i]! - got[i]!) ** 2;
      }
    }),
  );
  return 10 * Math.log10(signal / noise);
}

/** An ActivationRunner over fixed feeds: the model with the tensors as extra float outputs. */
export function feedsRunner(samples: readonly Feeds[]): ActivationRunner {
  return {
    async run(model, tensors, sink) {
      const existing = new Set(model.graph.outputs.map((o) => o.name));
      const extra = tensors.filter((t) => !existing.has(t) && !model.graph.inputs.some((i) => i.name === t));
      const augmented: Model = {
        ...model,
        graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra.map((name) => ({ name, type: { kind: 'tensor' as const, elemType: DataType.FLOAT } }))] },
      };
      const s = await session(augmented);
      try {
        for (const feeds of samples) {
          const r = await s.run(feeds);
          for (const t of tensors) {
            const v = r[t] ?? feeds[t];
            if (v) sink.update(t, v.data as Float32Array);
          }
        }
      } finally {
        await s.release();
      }
    },
  };
}

/** The op types of the graph onnxruntime actually runs after its optimisations (QDQ fusion included). */
export async function optimizedOpTypes(model: Model): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-optimized-'));
  try {
    const path = join(dir, 'optimized.onnx');
    const s = await session(model, { optimizedModelFilePath: path, graphOptimizationLevel: 'all' });
    await s.release();
    const optimized = await readModelFile(path);
    const counts = new Map<string, number>();
    for (const n of optimized.graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function medianLatencyMs(model: Model, feeds: Feeds, runs = 10): Promise<number> {
  const s = await session(model);
  try {
    await s.run(feeds);
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await s.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    await s.release();
  }
}
