import type { z } from 'zod';
import { isMapping, record } from '../diagnostics/rawValues';
import {
  calibrationSchema,
  dataLoopSchema,
  deploymentSchema,
  modelSchema,
  quantizationSchema,
  releaseSchema,
  safetySchema,
  targetSchema,
  budgetsSchema,
  outputSpec,
  tensorSpec,
  triggerSchema,
  useCaseNamePattern,
  type OutputSpec,
} from './schema';

function section<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/**
 * The parts of a use case that are valid on their own, field by field, so semantic checks
 * run beside schema errors elsewhere (a bad budget does not hide an unknown target id).
 */
export interface UseCaseSections {
  readonly name?: string;
  readonly safety?: { readonly asil?: z.output<typeof safetySchema>['asil']; readonly evidence: readonly string[] };
  /** Declared inputs/outputs by index; an entry whose name is unusable is undefined. */
  readonly model?: { readonly path?: string; readonly inputs?: ReadonlyArray<OutputSpec | undefined>; readonly outputs?: ReadonlyArray<OutputSpec | undefined> };
  readonly calibrationData?: string;
  readonly calibrationSamples?: number;
  readonly precision: z.output<typeof quantizationSchema>['precision'];
  readonly keepFloat: readonly string[];
  readonly targets: ReadonlyArray<{ readonly index: number; readonly target: PartialTarget }>;
  readonly deployment?: { readonly placement: z.output<typeof deploymentSchema>['placement']; readonly hasUplink: boolean };
  readonly release?: { readonly version?: string; readonly channel?: string; readonly percent?: number };
  /** `dataLoop.triggers[].when` that are strings, by index. */
  readonly triggers: ReadonlyArray<{ readonly index: number; readonly when: string }>;
  /** `dataLoop.data`: the folder of recorded inputs to replay. */
  readonly replayData?: string;
}

interface PartialTarget {
  readonly soc?: string;
  readonly engine?: z.output<typeof targetSchema>['engine'];
  readonly budgets?: z.output<typeof budgetsSchema>;
}

function fieldOf<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  return section(schema, value);
}

/** Each budget on its own: a unit-less memory budget does not hide that fps and latency contradict. */
function budgetFields(value: unknown): z.output<typeof budgetsSchema> | undefined {
  if (!isMapping(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(budgetsSchema.shape)) {
    const field = value[key] !== undefined ? fieldOf(schema, value[key]) : undefined;
    if (field !== undefined) out[key] = field;
  }
  return out as z.output<typeof budgetsSchema>;
}

/** Each declared tensor on its own, and each of its fields: a bad dtype does not hide a wrong name. */
function tensorSpecs(value: unknown): Array<OutputSpec | undefined> | undefined {
  if (!Array.isArray(value)) return undefined;
  return (value as unknown[]).map((entry) => {
    const r = record(entry);
    const name = fieldOf(tensorSpec.shape.name, r['name']);
    if (name === undefined) return undefined;
    const shape = r['shape'] !== undefined ? fieldOf(tensorSpec.shape.shape, r['shape']) : undefined;
    const dtype = r['dtype'] !== undefined ? fieldOf(tensorSpec.shape.dtype, r['dtype']) : undefined;
    const labels = r['labels'] !== undefined ? fieldOf(outputSpec.shape.labels, r['labels']) : undefined;
    return { name, ...(shape !== undefined ? { shape } : {}), ...(dtype !== undefined ? { dtype } : {}), ...(labels !== undefined ? { labels } : {}) };
  });
}

export function useCaseSections(value: unknown): UseCaseSections {
  const v = record(value);
  const name = typeof v['name'] === 'string' && useCaseNamePattern.test(v['name']) ? v['name'] : undefined;
  const targets = Array.isArray(v['targets'])
    ? (v['targets'] as unknown[]).map((t, index) => {
        const r = record(t);
        const soc = fieldOf(targetSchema.shape.soc, r['soc']);
        const engine = r['engine'] !== undefined ? fieldOf(targetSchema.shape.engine, r['engine']) : undefined;
        const budgets = r['budgets'] !== undefined ? budgetFields(r['budgets']) : undefined;
        return { index, target: { ...(soc !== undefined ? { soc } : {}), ...(engine !== undefined ? { engine } : {}), ...(budgets !== undefined ? { budgets } : {}) } };
      })
    : [];
  const safetyRaw = record(v['safety']);
  const asil = fieldOf(safetySchema.shape.asil, safetyRaw['asil']);
  const evidence = fieldOf(safetySchema.shape.evidence, safetyRaw['evidence']) ?? [];
  const modelRaw = record(v['model']);
  const modelPath = fieldOf(modelSchema.shape.path, modelRaw['path']);
  const inputs = tensorSpecs(modelRaw['inputs']);
  const outputs = tensorSpecs(modelRaw['outputs']);
  const calibrationData = fieldOf(calibrationSchema.shape.data, record(v['calibration'])['data']);
  const calibrationSamples = fieldOf(calibrationSchema.shape.samples, record(v['calibration'])['samples']);
  const quantRaw = record(v['quantization']);
  const precision = fieldOf(quantizationSchema.shape.precision, quantRaw['precision']) ?? 'int8';
  const keepFloat = Array.isArray(quantRaw['keepFloat']) ? (quantRaw['keepFloat'] as unknown[]).map((g) => (typeof g === 'string' ? g : '')) : [];
  const deploymentRaw = record(v['deployment']);
  const placement = fieldOf(deploymentSchema.shape.placement, deploymentRaw['placement']);
  const releaseRaw = record(v['release']);
  // YAML reads `version: 1.0` as a number: report it as a version problem, not a type problem.
  const rawVersion = releaseRaw['version'];
  const version = typeof rawVersion === 'string' ? rawVersion : typeof rawVersion === 'number' ? String(rawVersion) : undefined;
  const channel = fieldOf(releaseSchema.shape.channel, releaseRaw['channel']);
  const percent = fieldOf(releaseSchema.shape.rollout, releaseRaw['rollout'])?.percent;
  const replayData = fieldOf(dataLoopSchema.shape.data, record(v['dataLoop'])['data']);
  const triggersRaw = record(v['dataLoop'])['triggers'];
  const triggers = Array.isArray(triggersRaw)
    ? (triggersRaw as unknown[]).flatMap((t, index) => {
        const when = fieldOf(triggerSchema.shape.when, record(t)['when']);
        return when !== undefined ? [{ index, when }] : [];
      })
    : [];
  return {
    targets,
    triggers,
    precision,
    keepFloat,
    ...(name !== undefined ? { name } : {}),
    ...(v['safety'] !== undefined ? { safety: { ...(asil !== undefined ? { asil } : {}), evidence } } : {}),
    ...(v['model'] !== undefined
      ? { model: { ...(modelPath !== undefined ? { path: modelPath } : {}), ...(inputs !== undefined ? { inputs } : {}), ...(outputs !== undefined ? { outputs } : {}) } }
      : {}),
    ...(calibrationData !== undefined && v['calibration'] !== undefined ? { calibrationData, calibrationSamples: calibrationSamples ?? 64 } : {}),
    ...(replayData !== undefined ? { replayData } : {}),
    ...(v['deployment'] !== undefined && placement !== undefined ? { deployment: { placement, hasUplink: deploymentRaw['uplink'] !== undefined } } : {}),
    ...(v['release'] !== undefined
      ? { release: { ...(version !== undefined ? { version } : {}), ...(channel !== undefined ? { channel } : {}), ...(percent !== undefined ? { percent } : {}) } }
      : {}),
  };
}

