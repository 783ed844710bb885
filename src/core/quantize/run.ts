/**
 * One quantization run, as the `quantize` job executes it: check the model and the data, run
 * the precision's transform (int8 calibrates on the fp32 model), write the result through the
 * job's temp file, and measure the output SQNR of the result against fp32 on the calibration
 * samples (pooled over samples; the lowest over the model's outputs).
 */
import { promises as fsp } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Model } from '../onnx/model';
import { readModelFile } from '../onnx/read';
import { byteSize, inferShapes } from '../onnx/shape';
import { writeModelBytes } from '../onnx/write';
import { compileGlob } from '../usecase/glob';
import { addGraphOutputs, addRangeOutputs, openModelSession, openSampleSource, openSession, runSamples, toFloat32, ModelLoadError, SampleDataError, type RangeOutputNames, type RuntimeTensor, type Sample, type SampleSource } from '../runtime';
import { ErrorAccumulator } from '../quantdiff/metrics';
import { convertFp16 } from './fp16';
import { addGramOutputs, HessianAccumulator } from './hessian';
import { quantizeInt4 } from './int4';
import { quantizeInt8, type ActivationRunner, type Int8Options } from './int8';
import { keepFewestInFloat, quantizeMixed, type LayerSensitivity } from './mixedPrecision';
import type { KeptFloat } from './plan';
import { splitSamples, type SampleSplit } from './heldOut';
import { QuantizeInputError, type QuantizeSettings } from './request';

export interface QuantizeContext {
  readonly signal: AbortSignal;
  readonly cwd: string;
  progress(stage: string, fraction?: number, message?: string): void;
  log(line: string): void;
  /** The temp path to write `finalPath` to (renamed on success). */
  output(finalPath: string): string;
}

export interface QuantizeSummary {
  readonly output: string;
  readonly model: string;
  readonly useCase?: string;
  readonly precision: string;
  readonly nodesQuantized: number;
  readonly nodesKeptFloat: number;
  readonly keptFloat: readonly KeptFloat[];
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly outputSqnrDb: number;
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly sqnrDb: number }>;
  /**
   * `samples` read; the first `calibrated` set the ranges (0: no calibration), and the output
   * SQNR is measured on `judged` samples (`judgedIds`): held out from calibration when there
   * are at least 2 samples.
   */
  readonly calibration: {
    readonly data: string;
    readonly synthetic: boolean;
    readonly samples: number;
    readonly method: string;
    readonly calibrated: number;
    readonly judged: number;
    readonly judgedIds: readonly string[];
  };
  readonly minSqnrDb?: number;
  /** Undefined without a gate. */
  readonly gatePassed?: boolean;
  /** Auto mixed precision: the fully quantized SQNR and every layer's measured sensitivity, noisiest first. */
  readonly mixed?: { readonly allInt8SqnrDb: number; readonly layers: readonly LayerSensitivity[] };
  readonly notes: readonly string[];
}

/** Ops that only appear in models that are quantized already. */
const QUANTIZED_OPS = new Set([
  'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger',
  'QGemm', 'QLinearAdd', 'QLinearMul', 'MatMulNBits', 'MatMulIntegerToFloat', 'DynamicQuantizeMatMul',
]);

/** Memory given to the fetched intermediate tensors of one calibration run (more means several passes). */
const CALIBRATION_FETCH_BUDGET = 1 << 30;
/** Judged samples and their fp32 outputs kept for the SQNR of the result. */
const REFERENCE_OUTPUT_BUDGET = 256 << 20;

async function openModel(path: string, signal: AbortSignal): Promise<Model> {
  try {
    return await readModelFile(path, { signal });
  } catch (e) {
    signal.throwIfAborted();
    throw new QuantizeInputError(`${path}: cannot read the model (${e instanceof Error ? e.message : String(e)})`);
  }
}

function checkNotQuantized(model: Model, path: string): void {
  const found = new Map<string, number>();
  for (const n of model.graph.nodes) if (QUANTIZED_OPS.has(n.opType)) found.set(n.opType, (found.get(n.opType) ?? 0) + 1);
  if (found.size === 0) return;
  const list = [...found].map(([op, count]) => `${count} ${op}`).join(', ');
  throw new QuantizeInputError(`${path} is already quantized (it holds ${list}); quantize its float original instead`);
}

async function checkDiskSpace(out: string, needed: number): Promise<void> {
  const stats = await fsp.statfs(dirname(out)).catch(() => undefined);
  if (stats === undefined) return;
  const free = Number(stats.bavail) * Number(stats.bsize);
  if (free < needed) {
    throw new QuantizeInputError(`not enough disk space for ${out}: about ${Math.ceil(needed / 2 ** 20)} MiB needed, ${Math.floor(free / 2 ** 20)} MiB free; free some space or pass --out on another disk`);
  }
}

function asInputError(e: unknown, settings: QuantizeSettings): unknown {
  if (e instanceof SampleDataError) return new QuantizeInputError(e.message);
  if (e instanceof ModelLoadError) return new QuantizeInputError(`${settings.model}: onnxruntime cannot load the model: ${e.message}`);
  return e;
}

/**
 * Keeps the judged samples (within a budget) with their fp32 outputs, to measure the result
 * against without reading or generating the samples again.
 */
class ReferenceOutputs {
  readonly samples: Array<{ readonly id: string; readonly feeds: Sample['feeds']; readonly outputs: Map<string, Float32Array> }> = [];
  private bytes = 0;
  private full = false;

  take(sample: Sample, outputs: ReadonlyMap<string, RuntimeTensor>, names: readonly string[]): void {
    if (this.full) return;
    const kept = new Map<string, Float32Array>();
    let size = 0;
    for (const t of Object.values(sample.feeds)) size += 'byteLength' in t.data ? t.data.byteLength : 0;
    for (const name of names) {
      const t = outputs.get(name);
      if (t === undefined) continue;
      const values = Float32Array.from(toFloat32(t));
      kept.set(name, values);
      size += values.byteLength;
    }
    if (this.samples.length > 0 && this.bytes + size > REFERENCE_OUTPUT_BUDGET) {
      this.full = true;
      return;
    }
    this.samples.push({ id: sample.id, feeds: sample.feeds, outputs: kept });
    this.bytes += size;
  }
}

/** Splits `tensors` into groups whose values fit the fetch budget together. */
function fetchGroups(tensors: readonly string[], bytesOf: (name: string) => number): string[][] {
  const groups: string[][] = [[]];
  let groupBytes = 0;
  for (const t of tensors) {
    const size = bytesOf(t);
    if (groups.at(-1)!.length > 0 && groupBytes + size > CALIBRATION_FETCH_BUDGET) {
      groups.push([]);
      groupBytes = 0;
    }
    groups.at(-1)!.push(t);
    groupBytes += size;
  }
  return groups;
}

/** The first `count` samples of `source`. */
function firstSamples(source: SampleSource, count: number): SampleSource {
  if (count >= source.count) return source;
  return {
    ...source,
    count,
    ids: source.ids.slice(0, count),
    async *samples(signal) {
      let k = 0;
      for await (const sample of source.samples(signal)) {
        if (k++ >= count) return;
        yield sample;
      }
    },
  };
}

/**
 * Calibration through onnxruntime, sample by sample: the first `split.calibrate` samples
 * update the statistics, the last `split.judge` keep their fp32 outputs as the reference. For
 * minmax each tensor's range is reduced inside the run (addRangeOutputs), so it copies a few
 * scalars per tensor out of onnxruntime; values are fetched only for histograms (or tensors
 * onnxruntime cannot reduce), in several passes when they would not fit the budget together.
 */
function runtimeRunner(source: SampleSource, split: SampleSplit, reference: ReferenceOutputs, context: QuantizeContext, bytesOf: (name: string) => number): ActivationRunner {
  return {
    async run(model, tensors, sink, signal) {
      const shapes = await inferShapes(model, { signal });
      // Histograms need every value: their tensors' ranges come with the values, in JavaScript.
      const withRanges = sink.needsValues ? { model, ranges: new Map<string, RangeOutputNames>() } : await addRangeOutputs(model, tensors, { signal, shapes });
      const ranges = withRanges.ranges;
      const valued = tensors.filter((t) => !ranges.has(t));
      const groups = fetchGroups(valued, bytesOf);
      const outputs = model.graph.outputs.map((o) => o.name);
      const scalar = (values: ReadonlyMap<string, RuntimeTensor>, name: string) => Number(values.get(name)?.data[0] ?? NaN);
      for (const [g, group] of groups.entries()) {
        const added = await addGraphOutputs(withRanges.model, group, { signal, shapes });
        for (const s of added.skipped) context.log(`calibration: ${s.name} not fetched (${s.reason})`);
        // The first pass also gives the ranges of the tensors whose values are not fetched, and the reference outputs.
        const rangeNames = g === 0 ? [...ranges.keys()] : [];
        const session = await openModelSession(added.model, { signal, sourceName: 'the model with calibration outputs', memPattern: false });
        // The first pass also gives the judged samples' fp32 outputs; later ones need the calibration samples only.
        const samples = g === 0 ? source : firstSamples(source, split.calibrate);
        let index = 0;
        try {
          const fetch = [...new Set([...(g === 0 ? outputs : []), ...added.fetchable, ...rangeNames.flatMap((t) => Object.values(ranges.get(t)!))])];
          await runSamples(
            session,
            samples,
            (values, sample) => {
              const k = index++;
              if (g === 0 && k >= source.count - split.judge) reference.take(sample, values, outputs);
              if (k >= split.calibrate) return;
              for (const name of rangeNames) {
                const r = ranges.get(name)!;
                // The min and max skip NaNs; the check does not. A tensor that cannot be negative has no min output (0 gives the same parameters).
                const check = scalar(values, r.check);
                if (Number.isNaN(check)) sink.range(name, NaN, NaN);
                else if (!Number.isFinite(check)) sink.range(name, -Infinity, Infinity);
                else sink.range(name, r.min === undefined ? 0 : scalar(values, r.min), scalar(values, r.max));
              }
              for (const name of group) {
                const v = values.get(name) ?? sample.feeds[name];
                if (v !== undefined) sink.update(name, toFloat32(v));
              }
            },
            {
              signal,
              fetch,
              progress: (done, total) => context.progress('calibrate', (g + done / total) / groups.length * 0.8, `sample ${done}/${total}${groups.length > 1 ? `, pass ${g + 1}/${groups.length}` : ''}`),
            },
          );
        } finally {
          await session.release();
        }
      }
    },
  };
}

/** Output SQNR of `quantized` against the fp32 outputs kept in `reference`, on the same samples. */
async function measureSqnr(quantized: Uint8Array, reference: ReferenceOutputs, outputs: readonly string[], signal: AbortSignal, limit = Infinity) {
  const session = await openSession({ bytes: quantized }, { signal, sourceName: 'the quantized model', memPattern: false });
  const metrics = new Map(outputs.map((o) => [o, new ErrorAccumulator()]));
  try {
    for (const { feeds, outputs: expected } of reference.samples.slice(0, limit)) {
      const got = await session.run(feeds, { signal });
      for (const o of outputs) {
        const r = expected.get(o);
        const t = got.get(o);
        if (r !== undefined && t !== undefined) metrics.get(o)!.add(r, toFloat32(t));
      }
    }
  } finally {
    await session.release();
  }
  return outputs.map((name) => ({ name, sqnrDb: metrics.get(name)!.result().sqnrDb }));
}

export async function runQuantize(settings: QuantizeSettings, context: QuantizeContext): Promise<QuantizeSummary> {
  const { signal } = context;
  try {
    return await quantize(settings, context);
  } catch (e) {
    signal.throwIfAborted();
    throw asInputError(e, settings);
  }
}

async function quantize(settings: QuantizeSettings, context: QuantizeContext): Promise<QuantizeSummary> {
  const { signal } = context;
  const shown = (p: string) => relative(context.cwd, p) || p;
  context.progress('open', 0, shown(settings.model));
  const model = await openModel(settings.model, signal);
  checkNotQuantized(model, shown(settings.model));
  const sizeBefore = (await fsp.stat(settings.model)).size;
  await checkDiskSpace(settings.out, sizeBefore + (16 << 20));
  const keepFloat = settings.keepFloat.map((g) => {
    try {
      return compileGlob(g);
    } catch (e) {
      throw new QuantizeInputError(`keepFloat glob '${g}': ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const source = await openSampleSource(settings.calibration, model.graph, {
    ...(settings.samples !== undefined ? { samples: settings.samples } : {}),
    inputSizes: Object.fromEntries(Object.entries(settings.inputShapes).map(([k, v]) => [k, [...v]])),
  });
  context.log(`calibration data: ${source.description}`);
  const reference = new ReferenceOutputs();
  const outputs = model.graph.outputs.map((o) => o.name);
  const inputShapes = Object.fromEntries(Object.entries(settings.inputShapes).map(([k, v]) => [k, [...v]]));
  // int4 GPTQ calibrates on every sample and is judged on the same ones; fp16 and int4 RTN need no calibration.
  const gptq = settings.precision === 'int4-weight' && settings.int4Method === 'gptq';
  const split = settings.precision === 'int8' || settings.precision === 'mixed' ? splitSamples(source.count) : { calibrate: gptq ? source.count : 0, judge: source.count };
  if (split.calibrate > 0) context.log(`calibrating on ${split.calibrate} sample(s), output SQNR on ${split.calibrate + split.judge <= source.count ? 'the last' : 'the same'} ${split.judge}`);
  const result = await transform(settings, model, shown(settings.model), { source, split, reference, outputs, keepFloat, inputShapes, context });
  for (const note of result.notes) context.log(note);
  context.progress('write', 0.85, shown(settings.out));
  const bytes = await writeModelBytes(result.model, { signal });
  await fsp.writeFile(context.output(settings.out), bytes, { signal });
  context.progress('measure', 0.9, 'output SQNR against fp32');
  const perOutput = await measureSqnr(bytes, reference, outputs, signal);
  const outputSqnrDb = Math.min(...perOutput.map((o) => o.sqnrDb));
  const gate = settings.minSqnrDb;
  return {
    output: settings.out,
    model: settings.model,
    ...(settings.useCase ? { useCase: settings.useCase } : {}),
    precision: settings.precision,
    nodesQuantized: result.nodesQuantized,
    nodesKeptFloat: result.keptFloat.length,
    keptFloat: result.keptFloat,
    sizeBefore,
    sizeAfter: bytes.byteLength,
    outputSqnrDb,
    outputs: perOutput,
    calibration: {
      data: source.synthetic ? 'synthetic' : settings.calibration,
      synthetic: source.synthetic,
      samples: source.count,
      method: settings.method,
      calibrated: split.calibrate,
      judged: reference.samples.length,
      judgedIds: reference.samples.map((s) => s.id),
    },
    ...(gate !== undefined ? { minSqnrDb: gate, gatePassed: outputSqnrDb >= gate } : {}),
    ...(result.mixed ? { mixed: result.mixed } : {}),
    notes: [...result.notes, ...(source.synthetic ? [`calibrated and measured on synthetic data (${source.description})`] : [])],
  };
}

/** Reference samples the mixed-precision search ranks layers on (the gate uses all kept samples). */
const SENSITIVITY_SAMPLES = 8;

interface TransformInputs {
  readonly source: SampleSource;
  readonly split: SampleSplit;
  readonly reference: ReferenceOutputs;
  readonly outputs: readonly string[];
  readonly keepFloat: Int8Options['keepFloat'];
  readonly inputShapes: Record<string, Array<number | string>>;
  readonly context: QuantizeContext;
}

interface Transformed {
  readonly model: Model;
  readonly nodesQuantized: number;
  readonly keptFloat: readonly KeptFloat[];
  readonly notes: readonly string[];
  readonly mixed?: { readonly allInt8SqnrDb: number; readonly layers: readonly LayerSensitivity[] };
}

/** Runs the fp32 model over the samples once and keeps its outputs as the reference (precisions without calibration). */
async function referenceRun(settings: QuantizeSettings, { source, reference, outputs, context }: TransformInputs): Promise<void> {
  const session = await openSession({ path: settings.model }, { signal: context.signal, sourceName: settings.model, memPattern: false });
  try {
    await runSamples(session, source, (values, sample) => reference.take(sample, values, outputs), {
      signal: context.signal,
      fetch: [...outputs],
      progress: (done, total) => context.progress('reference', (done / total) * 0.3, `fp32 sample ${done}/${total}`),
    });
  } finally {
    await session.release();
  }
}

/**
 * GPTQ's calibration: one fp32 pass over the samples that sums X^T X of every int4 MatMul's
 * input and keeps the reference outputs (the role of `referenceRun` for the other methods).
 */
async function gptqCalibration(model: Model, { source, reference, outputs, keepFloat, context }: TransformInputs): Promise<ReadonlyMap<string, Float64Array>> {
  const { signal } = context;
  const gram = await addGramOutputs(model, keepFloat, signal);
  const hessians = new HessianAccumulator(gram.grams);
  const session = await openModelSession(gram.model, { signal, sourceName: 'the model with GPTQ calibration outputs' });
  try {
    await runSamples(
      session,
      source,
      (values, sample) => {
        hessians.add(values);
        reference.take(sample, values, outputs);
      },
      { signal, fetch: [...outputs, ...hessians.outputs], progress: (done, total) => context.progress('calibrate', (done / total) * 0.3, `sample ${done}/${total}`) },
    );
  } finally {
    await session.release();
  }
  return hessians.hessians;
}

/** Output SQNR of a candidate against the fp32 reference: the lowest over the outputs. */
function evaluator({ reference, outputs, context }: TransformInputs) {
  return async (candidate: Model, quick: boolean) => {
    const perOutput = await measureSqnr(await writeModelBytes(candidate, { signal: context.signal }), reference, outputs, context.signal, quick ? SENSITIVITY_SAMPLES : Infinity);
    return Math.min(...perOutput.map((o) => o.sqnrDb));
  };
}

/** The precision's transform; fills `reference` with the fp32 outputs of the samples on the way. */
async function transform(settings: QuantizeSettings, model: Model, shownPath: string, inputs: TransformInputs): Promise<Transformed> {
  const { context, keepFloat, inputShapes } = inputs;
  const { signal } = context;
  if (settings.precision === 'fp16') {
    const result = await convertFp16(model, shownPath, { signal, inputShapes });
    await referenceRun(settings, inputs);
    return { model: result.model, nodesQuantized: result.nodesConverted, keptFloat: result.keptFloat, notes: result.notes };
  }
  if (settings.precision === 'int4-weight') {
    const gptq = settings.int4Method === 'gptq';
    const hessians = gptq ? await gptqCalibration(model, inputs) : undefined;
    if (!gptq) await referenceRun(settings, inputs);
    const int4 = (float: ReadonlySet<string>) =>
      quantizeInt4(model, shownPath, { blockSize: settings.blockSize, symmetric: settings.symmetric, keepFloat: [...keepFloat, { test: (n) => float.has(n) }], signal, method: settings.int4Method, ...(hessians ? { hessians } : {}) });
    const result = await int4(new Set());
    const method = gptq
      ? `int4 weights by GPTQ, fitted to the activations of ${inputs.source.count} ${inputs.source.synthetic ? 'SYNTHETIC samples (real calibration data fits real activations; rtn does not depend on data)' : 'calibration samples'}`
      : 'int4 weights rounded to nearest per block (rtn)';
    if (!settings.autoMixed) return { ...result, notes: [method, ...result.notes] };
    const search = await keepFewestInFloat(
      result.layers,
      async (float) => {
        const r = float.size === 0 ? result : await int4(float);
        return { model: r.model, plan: r };
      },
      { minSqnrDb: settings.minSqnrDb!, evaluate: evaluator(inputs), signal, log: (line) => context.log(line), progress: (f, message) => context.progress('sensitivity', 0.3 + f * 0.5, message) },
    );
    const chosen = search.extra;
    return {
      model: search.model,
      nodesQuantized: chosen.nodesQuantized,
      keptFloat: [...chosen.keptFloat.filter((k) => !search.kept.some((x) => x.node === k.node)), ...search.kept],
      notes: [method, ...chosen.notes, ...search.notes],
      mixed: { allInt8SqnrDb: search.mixed.allInt8SqnrDb, layers: search.mixed.layers },
    };
  }
  const shapes = await inferShapes(model, { signal, inputShapes });
  const bytesOf = (name: string) => {
    const info = shapes.tensors.get(name);
    const elements = info?.shape?.every((d): d is number => typeof d === 'number') ? info.shape.reduce((a, b) => a * b, 1) : undefined;
    // Unknown sizes count as 64 MiB so that a pass never fetches many of them at once.
    return (elements === undefined ? undefined : byteSize(info?.dtype, elements)) ?? 64 << 20;
  };
  const runner = runtimeRunner(inputs.source, inputs.split, inputs.reference, context, bytesOf);
  const options: Int8Options = { activations: 'uint8', perChannel: settings.weights === 'per-channel', keepFloat, method: settings.method, inputShapes, signal, log: (line) => context.log(line) };
  if (settings.precision === 'mixed') {
    const result = await quantizeMixed(model, runner, { ...options, minSqnrDb: settings.minSqnrDb!, evaluate: evaluator(inputs), progress: (f, message) => context.progress('sensitivity', 0.8 + f * 0.05, message) });
    return { ...result, mixed: { allInt8SqnrDb: result.mixed.allInt8SqnrDb, layers: result.mixed.layers } };
  }
  return quantizeInt8(model, runner, options);
}
