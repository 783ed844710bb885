/**
 * Closed-loop data replay (`aios replay`, SPEC §3): the model runs over recorded inputs in time
 * order at a sample rate, and each `dataLoop` trigger is evaluated on every sample's outputs:
 * how often it fires, how many captures a vehicle would make per day against `maxPerDay`, and
 * what those captures upload.
 *
 * The sample rate is `--rate`, else `dataLoop.sampleRate`, else the highest
 * `targets[].budgets.fps`, else 1 per second. Per day means `dataLoop.hoursPerDay` hours of
 * operation (default 1). A capture records the model's inputs for `capture` seconds at the
 * sample rate; a firing while a capture of the same trigger runs does not start another.
 */
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { nodeFileSystem, type FileSystem } from '../fs';
import { readModelFile } from '../onnx/read';
import { openSampleSource, openSession, toFloat32, type SampleSource } from '../runtime';
import { useCaseSchema, type UseCase } from '../usecase/schema';
import { modelMetadata } from '../usecase/modelMetadata';
import { checkTrigger, evaluateTrigger, parseTrigger, TriggerSyntaxError, type OutputValues, type TriggerExpr } from '../usecase/trigger';
import type { Model } from '../onnx/model';
import type { ReplayResult } from './result';
import { TriggerCounter } from './triggerCounter';

/** The replay cannot start: the use case, its triggers or the data are unusable. The message says what to fix. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}

export interface ReplayOptions {
  /** The use-case file (absolute). */
  readonly useCaseFile: string;
  /** Folder of recorded samples (absolute); default: the use case's dataLoop.data. */
  readonly data?: string;
  /** Samples per second; overrides the use case. */
  readonly rate?: number;
  /** Hours of operation per day; overrides the use case. */
  readonly hoursPerDay?: number;
  readonly fs?: FileSystem;
  readonly signal?: AbortSignal;
  readonly progress?: (done: number, total: number) => void;
}

export interface ReplayPlan {
  readonly useCase: UseCase;
  readonly modelFile: string;
  readonly model: Model;
  readonly triggers: ReadonlyArray<{ readonly when: string; readonly expr: TriggerExpr; readonly capture: number; readonly maxPerDay: number }>;
  readonly labels: ReadonlyMap<string, readonly string[]>;
  readonly rate: number;
  readonly rateFrom: ReplayResult['rateFrom'];
  readonly hoursPerDay: number;
  readonly source: SampleSource;
  /** The folder of recorded samples (absolute). */
  readonly data: string;
}

/** Reads and checks everything before any model runs; throws ReplayInputError with what to fix. */
export async function prepareReplay(options: ReplayOptions): Promise<ReplayPlan> {
  const fs = options.fs ?? nodeFileSystem;
  const file = options.useCaseFile;
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(file, options.signal));
  } catch (e) {
    throw new ReplayInputError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let parsed: ReturnType<typeof useCaseSchema.safeParse>;
  try {
    parsed = useCaseSchema.safeParse(parse(text));
  } catch {
    parsed = useCaseSchema.safeParse(undefined);
  }
  if (!parsed.success) throw new ReplayInputError(`${file} is not a valid use case: run 'aios validate ${file}' and fix what it reports`);
  const useCase = parsed.data;
  const modelFile = resolve(dirname(file), useCase.model.path);
  let model: Model;
  try {
    model = await readModelFile(modelFile);
  } catch (e) {
    throw new ReplayInputError(`cannot read the model ${useCase.model.path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const labels = new Map((useCase.model.outputs ?? []).flatMap((o) => (o.labels ? [[o.name, o.labels] as const] : [])));
  const outputs = modelMetadata(model).outputs.map((o) => ({ name: o.name, shape: o.shape, ...(labels.get(o.name) ? { labels: labels.get(o.name)! } : {}) }));
  const triggers = (useCase.dataLoop?.triggers ?? []).map((t, i) => {
    let expr: TriggerExpr;
    try {
      expr = parseTrigger(t.when);
    } catch (e) {
      if (e instanceof TriggerSyntaxError) throw new ReplayInputError(`dataLoop.triggers[${i}] '${t.when}' does not parse: ${e.message}`);
      throw e;
    }
    const problem = checkTrigger(expr, outputs)[0];
    if (problem) throw new ReplayInputError(`dataLoop.triggers[${i}] '${t.when}': ${problem.message}`);
    return { when: t.when, expr, capture: t.capture.value, maxPerDay: t.maxPerDay };
  });
  if (triggers.length === 0) throw new ReplayInputError(`${file} has no dataLoop.triggers: there is nothing to replay against (add e.g. dataLoop: {triggers: [{when: "…", capture: 5s, maxPerDay: 3}]})`);
  const fps = Math.max(0, ...useCase.targets.map((t) => t.budgets?.fps ?? 0));
  const [rate, rateFrom]: [number, ReplayResult['rateFrom']] =
    options.rate !== undefined ? [options.rate, '--rate'] : useCase.dataLoop?.sampleRate !== undefined ? [useCase.dataLoop.sampleRate, 'dataLoop.sampleRate'] : fps > 0 ? [fps, 'targets[].budgets.fps'] : [1, 'default'];
  if (!(rate > 0) || !Number.isFinite(rate)) throw new ReplayInputError(`the sample rate must be a positive number of samples per second (got ${rate})`);
  const hoursPerDay = options.hoursPerDay ?? useCase.dataLoop?.hoursPerDay ?? 1;
  if (!(hoursPerDay > 0 && hoursPerDay <= 24)) throw new ReplayInputError(`hours per day must be more than 0 and at most 24 (got ${hoursPerDay})`);
  const data = options.data ?? (useCase.dataLoop?.data !== undefined ? resolve(dirname(file), useCase.dataLoop.data) : undefined);
  if (data === undefined) throw new ReplayInputError(`no recorded data to replay: give --data DIR, or set dataLoop.data in ${file} to the folder of recorded inputs`);
  let source: SampleSource;
  try {
    source = await openSampleSource(data, model.graph, { fs });
  } catch (e) {
    throw new ReplayInputError(e instanceof Error ? e.message : String(e));
  }
  return { useCase, modelFile, model, triggers, labels, rate, rateFrom, hoursPerDay, source, data };
}

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const plan = await prepareReplay(options);
  const counters = plan.triggers.map((t) => new TriggerCounter(t.when, t.capture, t.maxPerDay));
  const session = await openSession({ path: plan.modelFile }, { ...(options.signal ? { signal: options.signal } : {}), sourceName: plan.useCase.model.path });
  let index = 0;
  let bytesPerSample = 0;
  try {
    for await (const sample of plan.source.samples(options.signal)) {
      const outputs = await session.run(sample.feeds, options.signal ? { signal: options.signal } : {});
      const values = new Map<string, OutputValues>([...outputs].map(([name, t]) => [name, { data: toFloat32(t), dims: t.dims }]));
      const time = index / plan.rate;
      plan.triggers.forEach((t, i) => {
        try {
          counters[i]!.add(evaluateTrigger(t.expr, values, plan.labels), time);
        } catch (e) {
          throw new ReplayInputError(`dataLoop.triggers[${i}] '${t.when}' on sample ${sample.id}: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
      bytesPerSample = Math.max(bytesPerSample, Object.values(sample.feeds).reduce((sum, f) => sum + byteLength(f.data), 0));
      index++;
      options.progress?.(index, plan.source.count);
    }
  } finally {
    await session.release();
  }
  const durationSeconds = index / plan.rate;
  const triggers = counters.map((c) => c.result(durationSeconds, plan.hoursPerDay, bytesPerSample * plan.rate));
  return {
    useCase: plan.useCase.name,
    data: plan.data,
    samples: index,
    rate: plan.rate,
    rateFrom: plan.rateFrom,
    durationSeconds,
    hoursPerDay: plan.hoursPerDay,
    bytesPerSample,
    triggers,
    capturesPerDay: triggers.reduce((sum, t) => sum + Math.min(t.capturesPerDay, t.maxPerDay), 0),
    uplinkBytesPerDay: triggers.reduce((sum, t) => sum + t.uplinkBytesPerDay, 0),
    withinMaxPerDay: triggers.every((t) => t.withinMaxPerDay),
  };
}

function byteLength(data: unknown): number {
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return Array.isArray(data) ? data.reduce((sum: number, s: unknown) => sum + String(s).length, 0) : 0;
}
