import { z } from 'zod';
import { engineKinds, precisions } from '../compute/words';
import { quantitySchema } from '../quantity/schema';

/** Use-case document (`*.usecase.yaml`, SPEC §1). Every key carries its doc text for hover and the JSON Schema. */

export const domains = ['cockpit', 'adas', 'body', 'chassis', 'powertrain'] as const;
export const asilLevels = ['QM', 'A', 'B', 'C', 'D'] as const;
export const granularities = ['per-channel', 'per-tensor'] as const;
export const calibrationMethods = ['minmax', 'percentile', 'entropy'] as const;
/** int4-weight: `rtn` rounds each block to nearest (with a range search); `gptq` fits the weights to calibration activations. */
export const int4Methods = ['rtn', 'gptq'] as const;
export type Int4Method = (typeof int4Methods)[number];
export const placements = ['vehicle', 'cloud', 'split'] as const;
export const channels = ['dev', 'validation', 'production'] as const;
export const tensorDtypes = [
  'float32', 'float16', 'bfloat16', 'float64', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'bool', 'string', 'int4', 'uint4',
] as const;


export const useCaseNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** OCI Distribution repository name grammar. */
export const repositoryPattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const registryPattern = /^(local|oci:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._\/-]*)?)$/;

export const tensorSpec = z
  .strictObject({
    name: z.string().min(1).describe('Tensor name as in the ONNX graph.'),
    shape: z
      .array(z.union([z.number().int().min(0), z.string().min(1)]).describe('A whole number (0 or more), or a name such as batch for a symbolic dimension.'))
      .optional()
      .describe('Dimensions; a name (e.g. batch) for a symbolic dimension. Checked against the model.'),
    dtype: z.enum(tensorDtypes).optional().describe('Element type, e.g. float32. Checked against the model.'),
  })
  .describe('A model input or output the use case relies on.');

export const outputSpec = tensorSpec
  .extend({
    labels: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected a label of letters, digits and _, e.g. confidence' }))
      .min(1)
      .optional()
      .describe('Names of the elements along the last axis (e.g. [yaw, pitch, confidence]), so dataLoop triggers can read gaze.confidence.'),
  })
  .describe('A model output the use case reads, optionally with names for its elements.');

export const safetySchema = z
  .strictObject({
    asil: z.enum(asilLevels).default('QM').describe('ISO 26262 Automotive Safety Integrity Level: QM, A, B, C or D.'),
    sotif: z.boolean().default(false).describe('Whether an ISO 21448 (SOTIF) analysis is required for this function.'),
    evidence: z
      .array(z.string().min(1))
      .default([])
      .describe('ISO/PAS 8800 data and V&V evidence files, relative to this file; each must exist.'),
  })
  .describe('Functional safety classification and evidence.');

export const modelSchema = z
  .strictObject({
    path: z.string().min(1).describe('ONNX model file, relative to this file. Must stay inside the workspace.'),
    inputs: z.array(tensorSpec).optional().describe('Inputs the use case feeds; names, dtypes and ranks are checked against the model.'),
    outputs: z.array(outputSpec).optional().describe('Outputs the use case reads; names, dtypes and ranks are checked against the model.'),
  })
  .describe('The ONNX model this use case deploys.');

export const calibrationSchema = z
  .strictObject({
    data: z
      .string()
      .min(1)
      .default('synthetic')
      .describe("Folder of .npy calibration samples (one per file), relative to this file, or 'synthetic' for generated inputs."),
    samples: z.number().int().min(1).max(100000).default(64).describe('Number of calibration samples to use.'),
  })
  .describe('Data used to calibrate quantization ranges.');

export const quantizationSchema = z
  .strictObject({
    precision: z.enum(precisions).default('int8').describe('Target numeric precision: fp32, fp16, int8 or int4-weight (4-bit weights, float activations).'),
    weights: z.enum(granularities).default('per-channel').describe('Weight quantization granularity: per-channel or per-tensor.'),
    activations: z.enum(granularities).default('per-tensor').describe('Activation quantization granularity: per-channel or per-tensor.'),
    method: z.enum(calibrationMethods).default('minmax').describe('How activation ranges are calibrated: minmax, percentile or entropy.'),
    minSqnrDb: z
      .number()
      .min(0)
      .max(200)
      .default(30)
      .describe('Gate: minimum output SQNR (dB) of the quantized model against fp32.'),
    keepFloat: z.array(z.string().min(1)).default([]).describe('Node-name globs (e.g. /head/*) left in float.'),
    autoMixed: z.boolean().optional().describe('int8 only: keep the fewest layers in float (by measured sensitivity) until the output SQNR reaches minSqnrDb.'),
    blockSize: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional().describe('int4-weight only: weights quantized in blocks of 32, 64 or 128 along K (default 32).'),
    symmetric: z.boolean().optional().describe('int4-weight only: false gives each block a zero point (asymmetric); default true.'),
    int4Method: z
      .enum(int4Methods)
      .optional()
      .describe('int4-weight only: rtn rounds each block to nearest; gptq fits the weights to the calibration activations (GPTQ). Default: gptq with a calibration folder, rtn with synthetic data.'),
  })
  .describe('How the model is quantized and the accuracy gate it must pass.');

export const budgetsSchema = z
  .strictObject({
    latency: quantitySchema('time', 'Maximum inference latency per frame', { positive: true }).optional(),
    memory: quantitySchema('memory', 'Maximum peak memory', { positive: true }).optional(),
    power: quantitySchema('power', 'Maximum average power while running', { positive: true }).optional(),
    fps: z.number().gt(0).max(1000).optional().describe('Required inferences per second.'),
  })
  .describe('Budgets the model must fit on this target; checked by the profiler and the release gate.');

export const targetSchema = z
  .strictObject({
    soc: z.string().min(1).describe('SoC id from the catalog (built-in, or .aios/targets/*.soc.yaml in the workspace).'),
    engine: z.enum(engineKinds).optional().describe('Compute engine to run on: npu, gpu, dsp or cpu. Default: the fastest engine that supports the precision.'),
    budgets: budgetsSchema.optional(),
  })
  .describe('An SoC this function must run on, with its budgets.');

export const uplinkSchema = z
  .strictObject({
    bandwidth: quantitySchema('bandwidth', 'Sustained uplink bandwidth between vehicle and cloud', { positive: true }),
    rtt: quantitySchema('time', 'Round-trip time of the uplink'),
  })
  .describe('Vehicle-to-cloud link; required for cloud and split placement.');

export const deploymentSchema = z
  .strictObject({
    ecu: z.string().min(1).describe('Hardware id of the ECU; carried into the release metadata for the vehicle-side updater.'),
    placement: z
      .enum(placements)
      .default('vehicle')
      .describe('Where the model runs: vehicle, cloud, or split (the profiler proposes the cut).'),
    uplink: uplinkSchema.optional(),
  })
  .describe('Where and on which ECU the function is deployed.');

export const releaseSchema = z
  .strictObject({
    registry: z
      .string()
      .regex(registryPattern, { error: 'expected local or oci://host[:port]/namespace' })
      .default('local')
      .describe('Model registry: local (the embedded registry) or oci://host[:port]/namespace.'),
    repository: z
      .string()
      .min(1, { abort: true })
      .regex(repositoryPattern, { error: 'expected an OCI repository name: lower-case path components of letters and digits joined by . _ or -, e.g. aios/driver-monitoring' })
      .describe('Repository in the registry, e.g. aios/driver-monitoring.'),
    version: z.string().min(1).describe('Semantic version (e.g. 1.3.0); must increase per repository.'),
    channel: z.enum(channels).default('dev').describe('Release channel (a movable tag): dev, validation or production.'),
    rollout: z
      .strictObject({
        percent: z.number().min(0).max(100).default(100).describe('Share of the fleet that receives this release, in percent.'),
      })
      .default({ percent: 100 })
      .describe('Staged rollout.'),
    gates: z
      .strictObject({
        budgets: z.boolean().default(true).describe('Require every target budget to be met.'),
        sqnr: z.boolean().default(true).describe('Require the quantized model to meet quantization.minSqnrDb.'),
        validation: z.boolean().default(true).describe('Require this file to validate without errors.'),
      })
      .default({ budgets: true, sqnr: true, validation: true })
      .describe('Gates a release must pass.'),
  })
  .describe('How the model is released to the registry.');

export const triggerSchema = z
  .strictObject({
    when: z
      .string()
      .min(1)
      .describe('Condition on model outputs that triggers a capture, e.g. "gaze.confidence < 0.4": outputs, element labels or [index], numbers, + - * /, < <= > >= == !=, and/or/not, abs min max mean sum argmax.'),
    capture: quantitySchema('time', 'Length of the recording around the trigger', { positive: true }),
    maxPerDay: z.number().int().min(0).max(10000).default(1).describe('Upper bound on captures per vehicle and day.'),
  })
  .describe('A fleet data-collection trigger.');

export const dataLoopSchema = z
  .strictObject({
    triggers: z.array(triggerSchema).default([]).describe('Conditions that capture data in the fleet.'),
    data: z
      .string()
      .min(1)
      .optional()
      .describe('Folder of recorded model inputs (.npy, in time order), relative to this file: aios run replays it against the triggers, and aios replay reads it when --data is not given.'),
    sampleRate: z
      .number()
      .gt(0)
      .max(100000)
      .optional()
      .describe('Rate of the recorded inputs in samples per second (aios replay); default: the highest targets[].budgets.fps, else 1.'),
    hoursPerDay: z
      .number()
      .gt(0)
      .max(24)
      .default(1)
      .describe('Hours per day the function runs in a typical vehicle; scales replayed trigger rates to captures and uplink per day.'),
  })
  .describe('Closed-loop fleet data collection for this function.');

export const useCaseSchema = z
  .strictObject({
    apiVersion: z.literal('aios/v1').describe('Format version of this file: aios/v1.'),
    kind: z.literal('UseCase').describe('Document kind: UseCase.'),
    name: z
      .string()
      .regex(useCaseNamePattern, { error: 'expected lower-case letters, digits and single hyphens, e.g. driver-monitoring' })
      .max(63)
      .describe('Name of the AI function: lower-case letters, digits and hyphens; unique in the workspace.'),
    domain: z.enum(domains).describe('Vehicle domain: cockpit, adas, body, chassis or powertrain.'),
    description: z.string().optional().describe('What the function does, in one or two sentences.'),
    owner: z.string().optional().describe('Responsible team or person (e-mail).'),
    safety: safetySchema.optional(),
    model: modelSchema,
    calibration: calibrationSchema.optional(),
    quantization: quantizationSchema.optional(),
    targets: z.array(targetSchema).default([]).describe('SoCs this function must run on, with budgets per target.'),
    deployment: deploymentSchema.optional(),
    release: releaseSchema.optional(),
    dataLoop: dataLoopSchema.optional(),
  })
  .describe('An AI function of the vehicle: its model, quantization, target SoCs with budgets, deployment and release (AIOS use case, SPEC §1).');

export type UseCase = z.output<typeof useCaseSchema>;
export type UseCaseInput = z.input<typeof useCaseSchema>;
export type TensorSpec = z.output<typeof tensorSpec>;
export type OutputSpec = z.output<typeof outputSpec>;
