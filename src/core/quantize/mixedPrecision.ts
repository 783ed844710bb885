/**
 * Auto mixed precision: quantize, then keep the fewest layers in float until the output SQNR
 * reaches `minSqnrDb`. Sensitivity is measured, not guessed: for each quantized layer, the model
 * with only that layer quantized is built (int8: from the same calibration ranges) and its output
 * SQNR against fp32 measured (`evaluate`: streaming SQNR from quantdiff's accumulator in the
 * run). One layer at a time shows each layer's own noise; the opposite probe (one layer in float)
 * hides it under the others' noise. Layers are then kept in float noisiest first, re-measuring
 * the whole model after each, until the gate is met (or every layer is float: the gate then
 * fails with the measured figure).
 */
import type { Model } from '../onnx/model';
import type { GlobMatcher } from '../usecase/glob';
import { applyQdq } from './applyQdq';
import { planInt8, type ActivationRunner, type Int8Options, type Int8Result } from './int8';
import { planQuantization, type KeptFloat, type QuantPlan } from './plan';
import { ActivationStatistics } from './statistics';

export interface MixedOptions extends Int8Options {
  readonly minSqnrDb: number;
  /** Output SQNR (dB) of a candidate model against fp32; `quick` asks for the few samples used to rank layers. */
  evaluate(model: Model, quick: boolean): Promise<number>;
  readonly progress?: (fraction: number, message: string) => void;
}

export interface LayerSensitivity {
  readonly node: string;
  readonly op: string;
  /** Output SQNR with only this layer quantized (quick samples): lower is more sensitive. */
  readonly onlyQuantizedSqnrDb: number;
  /** Kept in float in the result. */
  readonly kept: boolean;
  /** Output SQNR of the model once this layer was added to the float set (kept layers only). */
  readonly sqnrAfterDb?: number;
  /** Measured output SQNR gain of keeping it in float, given the layers kept before it (kept layers only). */
  readonly gainDb?: number;
}

export interface MixedResult extends Int8Result {
  readonly mixed: {
    readonly allInt8SqnrDb: number;
    readonly finalSqnrDb: number;
    readonly minSqnrDb: number;
    readonly reached: boolean;
    readonly layers: readonly LayerSensitivity[];
  };
}

const exactly = (names: ReadonlySet<string>): GlobMatcher => ({ test: (name) => names.has(name) });

export async function quantizeMixed(model: Model, runner: ActivationRunner, options: MixedOptions): Promise<MixedResult> {
  const planned = await planInt8(model, options);
  const { prepared, plan: base, shapes } = planned;
  const graph = prepared.graph;
  const notes = [...planned.notes];
  const planWith = (float: ReadonlySet<string>): QuantPlan => planQuantization(graph, shapes.tensors, { ...options, keepFloat: [...options.keepFloat, exactly(float)] });
  // Layers that can be kept in float by name: the nodes that run int8 (fused activations go with their producer).
  const candidates = [...base.quantized].map((i) => graph.nodes[i]!).filter((n) => n.name !== '');
  const allNames = candidates.map((n) => n.name);
  const variants = new Map(allNames.map((name) => [name, planWith(new Set(allNames.filter((x) => x !== name)))]));

  // One calibration for every plan tried: the union of the tensors they quantize.
  const tensors = new Set<string>(planned.calibrate);
  for (const p of variants.values()) for (const t of p.tensors) if (!p.sharedWith.has(t)) tensors.add(t);
  options.log?.(`mixed precision: ${candidates.length} int8 layers, ${tensors.size} tensors to calibrate`);
  const statistics = new ActivationStatistics(options.method);
  await runner.run(prepared, [...tensors], statistics, options.signal);
  const ranges = statistics.ranges(options.percentile);
  const build = async (plan: QuantPlan): Promise<Model> => ({ ...prepared, graph: await applyQdq(graph, plan, ranges, { activations: options.activations, ...(options.signal ? { signal: options.signal } : {}) }) });
  const result = (model: Model, plan: QuantPlan, extra: Pick<MixedResult, 'mixed'>, kept: readonly KeptFloat[] = []): MixedResult => ({
    model,
    nodesQuantized: plan.quantized.size,
    keptFloat: [...plan.keptFloat.filter((k) => !kept.some((x) => x.node === k.node)), ...kept],
    calibratedTensors: tensors.size,
    notes,
    ...extra,
  });

  const search = await keepFewestInFloat(
    candidates.map((n) => ({ node: n.name, op: n.opType })),
    async (float) => {
      const only = float.size === allNames.length - 1 ? allNames.find((x) => !float.has(x)) : undefined;
      const plan = float.size === 0 ? base : only !== undefined ? variants.get(only)! : planWith(float);
      return { model: await build(plan), plan };
    },
    options,
  );
  notes.push(...search.notes);
  return result(search.model, search.extra, { mixed: search.mixed }, search.kept);
}

export interface SearchOptions {
  readonly minSqnrDb: number;
  evaluate(model: Model, quick: boolean): Promise<number>;
  readonly progress?: (fraction: number, message: string) => void;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface SearchResult<T> {
  readonly model: Model;
  readonly extra: T;
  readonly kept: readonly KeptFloat[];
  readonly mixed: MixedResult['mixed'];
  readonly notes: readonly string[];
}

/**
 * The search itself, for any precision: `build(float)` gives the model with the named layers in
 * float. Measures the fully quantized model, then each layer alone in float (quick samples), then
 * keeps layers greedily by measured gain, re-measuring after each, until `minSqnrDb` is reached.
 */
export async function keepFewestInFloat<T>(
  candidates: ReadonlyArray<{ readonly node: string; readonly op: string }>,
  build: (float: ReadonlySet<string>) => Promise<{ model: Model; plan: T }>,
  options: SearchOptions,
): Promise<SearchResult<T>> {
  const notes: string[] = [];
  const all = await build(new Set());
  const allSqnr = await options.evaluate(all.model, false);
  options.log?.(`mixed precision: fully quantized output SQNR ${allSqnr.toFixed(1)} dB, gate ${options.minSqnrDb} dB`);
  if (allSqnr >= options.minSqnrDb) {
    notes.push(`mixed precision: the fully quantized output SQNR ${allSqnr.toFixed(1)} dB already meets ${options.minSqnrDb} dB; no layer kept in float`);
    return { model: all.model, extra: all.plan, kept: [], notes, mixed: { allInt8SqnrDb: allSqnr, finalSqnrDb: allSqnr, minSqnrDb: options.minSqnrDb, reached: true, layers: [] } };
  }

  // Sensitivity: each layer alone quantized, on the quick samples.
  const names = candidates.map((c) => c.node);
  const measured: Array<{ node: string; op: string; only: number }> = [];
  for (const [k, c] of candidates.entries()) {
    options.signal?.throwIfAborted();
    options.progress?.(k / candidates.length, `sensitivity of ${c.node} (${k + 1}/${candidates.length})`);
    const only = await options.evaluate((await build(new Set(names.filter((x) => x !== c.node)))).model, true);
    measured.push({ ...c, only });
  }
  const ranked = [...measured].sort((a, b) => a.only - b.only || a.node.localeCompare(b.node));

  // Greedy: keep the noisiest layer in float, re-measure, until the gate is met.
  const float = new Set<string>();
  const after = new Map<string, { sqnr: number; gain: number }>();
  let current = { ...all, sqnr: allSqnr };
  for (const r of ranked) {
    if (current.sqnr >= options.minSqnrDb) break;
    options.signal?.throwIfAborted();
    float.add(r.node);
    let built: { model: Model; plan: T };
    try {
      built = await build(float);
    } catch (e) {
      // A combination that needs a tensor no single-layer plan calibrated: leave this layer out.
      float.delete(r.node);
      notes.push(`mixed precision: ${r.node} not tried with the others (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    const sqnr = await options.evaluate(built.model, false);
    after.set(r.node, { sqnr, gain: sqnr - current.sqnr });
    current = { ...built, sqnr };
    options.log?.(`mixed precision: ${r.node} (${r.op}, ${r.only.toFixed(1)} dB when quantized alone) in float: output SQNR ${sqnr.toFixed(1)} dB`);
  }
  const reached = current.sqnr >= options.minSqnrDb;
  const layers: LayerSensitivity[] = ranked.map((r) => ({
    node: r.node,
    op: r.op,
    onlyQuantizedSqnrDb: r.only,
    kept: float.has(r.node),
    ...(after.has(r.node) ? { sqnrAfterDb: after.get(r.node)!.sqnr, gainDb: after.get(r.node)!.gain } : {}),
  }));
  const kept: KeptFloat[] = layers
    .filter((l) => l.kept)
    .map((l) => ({ node: l.node, op: l.op, reason: `auto mixed precision: ${l.onlyQuantizedSqnrDb.toFixed(1)} dB output SQNR when the only layer quantized; +${l.gainDb!.toFixed(1)} dB kept in float` }));
  notes.push(
    reached
      ? `mixed precision: ${float.size} of ${candidates.length} layers kept in float to reach ${options.minSqnrDb} dB (fully quantized ${allSqnr.toFixed(1)} dB, now ${current.sqnr.toFixed(1)} dB)`
      : `mixed precision: ${current.sqnr.toFixed(1)} dB with all ${float.size} layers in float, under ${options.minSqnrDb} dB: the error comes from what stays quantized outside these layers`,
  );
  return { model: current.model, extra: current.plan, kept, notes, mixed: { allInt8SqnrDb: allSqnr, finalSqnrDb: current.sqnr, minSqnrDb: options.minSqnrDb, reached, layers } };
}

