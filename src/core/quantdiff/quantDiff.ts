/**
 * The quantization diff: the fp32 and the quantized model run on the same inputs, sample by
 * sample, with matched intermediate tensors fetched as extra graph outputs and compared as
 * they arrive (metrics.ts). When the tensors of one sample would exceed the memory budget,
 * the tensors are split into groups and the samples are run once per group.
 *
 * Fetching a tensor makes it a graph output, which keeps onnxruntime from fusing across it;
 * the quantized values are the same (the float tensor between two QDQ pairs is what the
 * fused kernel computes too) up to requantization rounding.
 */
import { promises as fsp } from 'node:fs';
import type { Model } from '../onnx/model';
import { readModelFile } from '../onnx/read';
import { inferShapes, type ShapeInferenceResult } from '../onnx/shape';
import { dtypeBits } from '../onnx/shape/dtypes';
import type { GivenSizes } from '../onnx/shape/inputSizes';
import { addGraphOutputs, openModelSession } from '../runtime/graphOutputs';
import { openSampleSource, sampleInputs, SampleDataError, type Sample, type SampleSource } from '../runtime/samples';
import type { RuntimeSession } from '../runtime/session';
import { toFloat32, type RuntimeTensor } from '../runtime/tensors';
import { HistogramAccumulator } from './histogram';
import { matchTensors, type Dequantize, type TensorPair } from './match';
import { classAxisOf, DecisionAccumulator, ErrorAccumulator, type ErrorMetrics } from './metrics';
import type { QuantDiffSummary } from '../../protocol/quantdiffReport';

export interface QuantDiffOptions {
  /** A folder of `.npy` samples or `synthetic` (default). */
  readonly data?: string;
  readonly samples?: number;
  readonly inputSizes?: GivenSizes;
  /** Bytes of fetched tensors per sample and model before tensors are split into groups (default 512 MiB). */
  readonly memoryBudget?: number;
  /** Timed runs per model for the host latency (default 5; 0 skips it). */
  readonly latencyRuns?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (stage: string, fraction: number, message?: string) => void;
}

type Metrics = Pick<OutputDiff, 'sqnrDb' | 'cosine' | 'maxAbsErr'>;
type OutputDiff = QuantDiffSummary['outputs'][number];
type TensorDiff = QuantDiffSummary['tensors'][number];

const defaultBudget = 512 * 2 ** 20;
/** Assumed size of a tensor whose shape inference could not tell. */
const unknownTensorBytes = 16 * 2 ** 20;

export async function quantDiff(fp32Path: string, quantPath: string, options: QuantDiffOptions = {}): Promise<QuantDiffSummary> {
  const { signal } = options;
  const progress = options.progress ?? (() => undefined);
  progress('read', 0, 'models');
  const fp32 = await readModelFile(fp32Path, { signal });
  const quant = await readModelFile(quantPath, { signal });
  checkSameInputs(fp32, fp32Path, quant, quantPath);
  const source = await openSampleSource(options.data ?? 'synthetic', fp32.graph, {
    ...(options.samples !== undefined ? { samples: options.samples } : {}),
    ...(options.inputSizes ? { inputSizes: options.inputSizes } : {}),
  });
  const first = await firstSample(source, signal);
  const inputShapes = Object.fromEntries(Object.entries(first.feeds).map(([n, t]) => [n, t.dims]));
  progress('match', 0, 'tensors');
  const fp32Shapes = await inferShapes(fp32, { inputShapes, signal });
  const quantShapes = await inferShapes(quant, { inputShapes, signal });
  const { pairs, unmatched } = await matchTensors(fp32, fp32Shapes, quant, quantShapes);
  const outputPairs = matchOutputs(fp32, quant);
  // An integer graph output of the quantized model (a QLinear* op's) is compared dequantized.
  const dequantizedOutputs = new Map(pairs.flatMap((p): Array<[string, Dequantize]> => (p.dequantize ? [[p.quantTensor, p.dequantize]] : [])));

  const groups = groupByBudget(pairs, fp32Shapes, options.memoryBudget ?? defaultBudget);
  const tensorAcc = new Map(pairs.map((p) => [p.name, { error: new ErrorAccumulator(), histogram: new HistogramAccumulator() }]));
  const outputAcc = new Map(outputPairs.map(([a]) => [a, { error: new ErrorAccumulator(), decisions: undefined as DecisionAccumulator | undefined }]));
  const total = Math.max(1, groups.length) * source.count;
  let done = 0;
  for (const [g, group] of (groups.length ? groups : [[]]).entries()) {
    const a = await openWithOutputs(fp32, group.map((p) => p.name), fp32Shapes, 'the fp32 model', signal);
    const b = await openWithOutputs(quant, group.map((p) => p.quantTensor), quantShapes, 'the quantized model', signal).catch(async (e: unknown) => {
      await a.release();
      throw e;
    });
    try {
      for await (const sample of source.samples(signal)) {
        const [ra, rb] = [await a.run(sample.feeds, { signal }), await b.run(sample.feeds, { signal })];
        for (const p of group) {
          const ref = ra.get(p.name);
          const test = rb.get(p.quantTensor);
          if (!ref || !test) continue;
          const acc = tensorAcc.get(p.name);
          const x = toFloat32(ref);
          const y = dequantized(test, p.dequantize);
          if (!acc || x.length !== y.length) continue;
          acc.error.add(x, y);
          acc.histogram.add(x, y);
        }
        if (g === 0) compareOutputs(outputPairs, outputAcc, ra, rb, sample, dequantizedOutputs);
        done++;
        progress('compare', done / total, `sample ${sample.id}${groups.length > 1 ? `, tensor group ${g + 1}/${groups.length}` : ''}`);
      }
    } finally {
      await a.release();
      await b.release();
    }
  }

  const runs = options.latencyRuns ?? 5;
  progress('latency', 1, 'host latency');
  const [fp32Latency, quantLatency] = runs > 0 ? await measureLatency(fp32, quant, first, runs, signal) : [undefined, undefined];
  const shownTensors: TensorDiff[] = [];
  for (const p of pairs) {
    const acc = tensorAcc.get(p.name);
    if (!acc || acc.error.samples === 0) continue;
    const histogram = acc.histogram.result();
    shownTensors.push({
      name: p.name, node: p.node, op: p.op, order: p.order, quantTensor: p.quantTensor, quantOp: p.quantOp, rule: p.rule,
      ...shown(acc.error.result()),
      ...(histogram ? { histogram } : {}),
    });
  }
  const outputs: OutputDiff[] = outputPairs.map(([name, quantName]) => {
    const acc = outputAcc.get(name);
    const decisions = acc?.decisions?.result();
    return { name, quantName, ...shown((acc?.error ?? new ErrorAccumulator()).result()), ...(decisions ? { decisionAgreement: decisions.agreement } : {}) };
  });
  return {
    fp32: { path: fp32Path, bytes: await modelBytes(fp32Path, fp32), ...(fp32Latency !== undefined ? { latencyMs: fp32Latency } : {}) },
    quant: { path: quantPath, bytes: await modelBytes(quantPath, quant), ...(quantLatency !== undefined ? { latencyMs: quantLatency } : {}) },
    data: { description: source.description, synthetic: source.synthetic, samples: source.count },
    outputs,
    tensors: shownTensors,
    unmatched: [...unmatched],
  };
}

function shown(m: ErrorMetrics): Metrics {
  return { sqnrDb: Number.isFinite(m.sqnrDb) ? m.sqnrDb : m.sqnrDb > 0 ? null : -999, cosine: m.cosine, maxAbsErr: m.maxAbsErr };
}

function checkSameInputs(fp32: Model, fp32Path: string, quant: Model, quantPath: string): void {
  const a = sampleInputs(fp32.graph).map((i) => `${i.name} (${i.dtype})`);
  const b = sampleInputs(quant.graph).map((i) => `${i.name} (${i.dtype})`);
  if (a.join(', ') !== b.join(', ')) {
    throw new SampleDataError(`the models take different inputs: ${fp32Path} takes ${a.join(', ') || 'none'}, ${quantPath} takes ${b.join(', ') || 'none'}; compare a quantized model with the float model it came from`);
  }
}

async function firstSample(source: SampleSource, signal: AbortSignal | undefined): Promise<Sample> {
  for await (const sample of source.samples(signal)) return sample;
  throw new SampleDataError(`${source.description}: no sample to run`);
}

/** Graph outputs by name, else by position when both models have as many outputs. */
function matchOutputs(fp32: Model, quant: Model): Array<[string, string]> {
  const names = new Set(quant.graph.outputs.map((o) => o.name));
  return fp32.graph.outputs.flatMap((o, i): Array<[string, string]> => {
    if (names.has(o.name)) return [[o.name, o.name]];
    const other = fp32.graph.outputs.length === quant.graph.outputs.length ? quant.graph.outputs[i] : undefined;
    return other ? [[o.name, other.name]] : [];
  });
}

function compareOutputs(
  pairs: ReadonlyArray<[string, string]>,
  acc: Map<string, { error: ErrorAccumulator; decisions: DecisionAccumulator | undefined }>,
  ra: ReadonlyMap<string, RuntimeTensor>,
  rb: ReadonlyMap<string, RuntimeTensor>,
  sample: Sample,
  dequantizedOutputs: ReadonlyMap<string, Dequantize>,
): void {
  for (const [name, quantName] of pairs) {
    const ref = ra.get(name);
    const test = rb.get(quantName);
    const entry = acc.get(name);
    if (!ref || !test || !entry) continue;
    const x = toFloat32(ref);
    const y = dequantized(test, dequantizedOutputs.get(quantName));
    if (x.length !== y.length) throw new SampleDataError(`sample ${sample.id}: output ${name} has ${x.length} elements in the fp32 model but ${y.length} in the quantized one`);
    entry.error.add(x, y);
    const axis = classAxisOf(ref.dims);
    if (axis !== undefined) {
      entry.decisions ??= new DecisionAccumulator(axis);
      entry.decisions.add(x, y, ref.dims);
    }
  }
}

function dequantized(tensor: RuntimeTensor, dq: Dequantize | undefined): Float32Array {
  const values = toFloat32(tensor);
  if (!dq) return values;
  const out = values === tensor.data ? new Float32Array(values.length) : values;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] ?? 0) - dq.zeroPoint) * dq.scale;
  return out;
}

function tensorBytes(shapes: ShapeInferenceResult, name: string): number {
  const info = shapes.tensors.get(name);
  const bits = dtypeBits(info?.dtype) ?? 32;
  if (!info?.shape || !info.shape.every((d): d is number => typeof d === 'number')) return unknownTensorBytes;
  return Math.ceil((info.shape.reduce((a, b) => a * b, 1) * bits) / 8);
}

/** Consecutive (graph-order) groups of pairs whose fp32 tensors fit the budget together. */
function groupByBudget(pairs: readonly TensorPair[], shapes: ShapeInferenceResult, budget: number): TensorPair[][] {
  const groups: TensorPair[][] = [];
  let current: TensorPair[] = [];
  let bytes = 0;
  for (const p of pairs) {
    const size = tensorBytes(shapes, p.name);
    if (current.length > 0 && bytes + size > budget) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function openWithOutputs(model: Model, names: readonly string[], shapes: ShapeInferenceResult, label: string, signal: AbortSignal | undefined): Promise<RuntimeSession> {
  const added = await addGraphOutputs(model, names, { shapes, signal });
  return openModelSession(added.model, { signal, sourceName: label });
}

async function measureLatency(fp32: Model, quant: Model, sample: Sample, runs: number, signal: AbortSignal | undefined): Promise<[number, number]> {
  const a = await openModelSession(fp32, { signal, sourceName: 'the fp32 model' });
  const b = await openModelSession(quant, { signal, sourceName: 'the quantized model' });
  try {
    const times: [number[], number[]] = [[], []];
    await a.run(sample.feeds, { signal });
    await b.run(sample.feeds, { signal });
    // Alternating, so both see the same machine load.
    for (let i = 0; i < runs; i++) {
      for (const [k, s] of [a, b].entries()) {
        const t0 = performance.now();
        await s.run(sample.feeds, { signal });
        times[k]?.push(performance.now() - t0);
      }
    }
    return [median(times[0]), median(times[1])];
  } finally {
    await a.release();
    await b.release();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function modelBytes(path: string, model: Model): Promise<number> {
  const file = (await fsp.stat(path)).size;
  const external = model.graph.initializers.filter((t) => t.data.location === 'external').reduce((sum, t) => sum + (t.data.byteLength ?? 0), 0);
  return file + external;
}
