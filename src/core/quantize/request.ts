/**
 * What one quantization run does, resolved from its inputs: a use case (its `model`,
 * `calibration` and `quantization` sections give the defaults) or a model file, with the
 * explicit settings (CLI flags, task inputs) taking precedence. Synchronous on purpose: the
 * job kind needs the output path before the job starts.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { calibrationMethods, calibrationSchema, granularities, int4Methods, quantizationSchema, type Int4Method } from '../usecase/schema';
import { isMapping } from '../diagnostics/rawValues';
import { useCaseSuffixes } from '../workspace/findFiles';
import { readRegularFileSync } from '../files/regularFile';

/** `mixed`: int8 with the fewest layers kept in float that reach `minSqnrDb` (a use case: int8 with `autoMixed: true`). */
export const quantizePrecisions = ['int8', 'fp16', 'int4-weight', 'mixed'] as const;
export type QuantizePrecision = (typeof quantizePrecisions)[number];

/** The job's inputs, as written in tasks.json or built by the CLI and the Quantize lens. Paths relative to the job's folder. */
export const quantizeInputs = z.object({
  /** A `*.usecase.yaml` or an `.onnx` model. */
  input: z.string().min(1),
  precision: z.enum(quantizePrecisions).optional(),
  /** A folder of `.npy` samples or `synthetic`. */
  calibration: z.string().min(1).optional(),
  samples: z.number().int().min(1).max(100000).optional(),
  method: z.enum(calibrationMethods).optional(),
  weights: z.enum(granularities).optional(),
  keepFloat: z.array(z.string().min(1)).optional(),
  minSqnrDb: z.number().min(0).max(200).optional(),
  /** Keep the fewest layers in float that reach minSqnrDb (int8, int4-weight); `precision: mixed` is int8 with this. */
  autoMixed: z.boolean().optional(),
  /** int4-weight: weights per block of this many along K. */
  blockSize: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional(),
  /** int4-weight: false for a zero point per block (asymmetric). */
  symmetric: z.boolean().optional(),
  /** int4-weight: rtn (round to nearest per block) or gptq (fitted to the calibration activations). */
  int4Method: z.enum(int4Methods).optional(),
  /** Sizes of dynamic input dims: `{image: [1, 3, 512, 512]}`. */
  inputShapes: z.record(z.string(), z.array(z.union([z.number().int().min(0), z.string()]))).optional(),
  /** Output file; default `<model>.<precision>.onnx` beside the model. */
  out: z.string().min(1).optional(),
});
export type QuantizeInputs = z.output<typeof quantizeInputs>;

export interface QuantizeSettings {
  readonly model: string;
  readonly useCase?: string;
  readonly precision: QuantizePrecision;
  /** Absolute folder, or 'synthetic'. */
  readonly calibration: string;
  /** Undefined: every sample of the folder (synthetic: the default count). */
  readonly samples: number | undefined;
  readonly method: (typeof calibrationMethods)[number];
  readonly weights: (typeof granularities)[number];
  readonly keepFloat: readonly string[];
  readonly minSqnrDb: number | undefined;
  readonly autoMixed: boolean;
  readonly blockSize: 32 | 64 | 128;
  readonly symmetric: boolean;
  /** int4-weight: default gptq with a calibration folder, rtn with synthetic data. */
  readonly int4Method: Int4Method;
  readonly inputShapes: Readonly<Record<string, ReadonlyArray<number | string>>>;
  readonly out: string;
}

/** A setting that cannot be resolved: the message says which file and what to change. */
export class QuantizeInputError extends Error {
  override readonly name = 'QuantizeInputError';
}

export function isUseCaseFile(path: string): boolean {
  return useCaseSuffixes.some((s) => path.endsWith(s));
}

/** `<model>.<precision>.onnx` beside the model (`dms.onnx` -> `dms.int8.onnx`). */
export function defaultOutput(model: string, precision: QuantizePrecision): string {
  const ext = extname(model);
  return join(dirname(model), `${basename(model, ext === '.onnx' ? ext : '')}.${precision}.onnx`);
}

interface UseCaseSections {
  readonly model: string;
  readonly inputShapes: Record<string, Array<number | string>>;
  readonly calibration: z.output<typeof calibrationSchema> | undefined;
  readonly quantization: z.output<typeof quantizationSchema> | undefined;
}

function readUseCase(file: string): UseCaseSections {
  let doc: unknown;
  try {
    doc = parse(new TextDecoder().decode(readRegularFileSync(file)));
  } catch (e) {
    throw new QuantizeInputError(`${file}: cannot read the use case (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); run aios validate on it`);
  }
  if (!isMapping(doc) || !isMapping(doc.model) || typeof doc.model.path !== 'string') {
    throw new QuantizeInputError(`${file}: no model.path; the use case must name its ONNX model`);
  }
  const section = <T extends z.ZodType>(name: string, schema: T): z.output<T> | undefined => {
    if (!isMapping(doc) || doc[name] === undefined) return undefined;
    const parsed = schema.safeParse(doc[name]);
    if (!parsed.success) throw new QuantizeInputError(`${file}: the ${name} section is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); run aios validate on it`);
    return parsed.data;
  };
  const inputShapes: Record<string, Array<number | string>> = {};
  const inputs = doc.model.inputs;
  if (Array.isArray(inputs)) for (const i of inputs) if (isMapping(i) && typeof i.name === 'string' && Array.isArray(i.shape)) inputShapes[i.name] = i.shape as Array<number | string>;
  return {
    model: resolve(dirname(file), doc.model.path),
    inputShapes,
    calibration: section('calibration', calibrationSchema),
    quantization: section('quantization', quantizationSchema),
  };
}

export function resolveSettings(inputs: QuantizeInputs, cwd: string): QuantizeSettings {
  const input = resolve(cwd, inputs.input);
  const useCase = isUseCaseFile(input) ? readUseCase(input) : undefined;
  const q = useCase?.quantization;
  const precisionSetting = inputs.precision ?? q?.precision ?? 'int8';
  if (precisionSetting === 'fp32') {
    throw new QuantizeInputError(`${input}: quantization.precision is fp32, so there is nothing to quantize; set int8, fp16 or int4-weight (or pass --precision)`);
  }
  const autoMixed = precisionSetting === 'mixed' || (inputs.autoMixed ?? q?.autoMixed ?? false);
  const precision = precisionSetting === 'int8' && autoMixed ? 'mixed' : precisionSetting;
  if (autoMixed && precision === 'fp16') throw new QuantizeInputError(`${input}: auto mixed precision applies to int8 and int4-weight; fp16 keeps its documented ops in float32 already`);
  const minSqnrDb = inputs.minSqnrDb ?? q?.minSqnrDb;
  if (autoMixed && minSqnrDb === undefined) {
    throw new QuantizeInputError(`${input}: mixed precision keeps layers in float until the output SQNR reaches a gate; pass --min-sqnr DB`);
  }
  const calibrationSetting = inputs.calibration ?? useCase?.calibration?.data ?? 'synthetic';
  const base = useCase ? dirname(input) : cwd;
  // Flags resolve against the current folder; the use case's own values against its folder.
  const calibrationBase = inputs.calibration !== undefined ? cwd : base;
  const model = useCase?.model ?? input;
  return {
    model,
    ...(useCase ? { useCase: input } : {}),
    precision,
    calibration: calibrationSetting === 'synthetic' ? 'synthetic' : resolve(calibrationBase, calibrationSetting),
    samples: inputs.samples ?? useCase?.calibration?.samples,
    method: inputs.method ?? q?.method ?? 'minmax',
    weights: inputs.weights ?? q?.weights ?? 'per-channel',
    keepFloat: [...(q?.keepFloat ?? []), ...(inputs.keepFloat ?? [])],
    minSqnrDb,
    autoMixed,
    blockSize: inputs.blockSize ?? q?.blockSize ?? 32,
    symmetric: inputs.symmetric ?? q?.symmetric ?? true,
    int4Method: inputs.int4Method ?? q?.int4Method ?? (calibrationSetting === 'synthetic' ? 'rtn' : 'gptq'),
    inputShapes: { ...(useCase?.inputShapes ?? {}), ...(inputs.inputShapes ?? {}) },
    out: inputs.out !== undefined ? resolve(cwd, inputs.out) : defaultOutput(model, precision),
  };
}
