import { z } from 'zod';
import { engineKinds, precisions } from '../compute/words';

/**
 * The result of `aios profile` (SPEC §3 `--json`), shared by the CLI, the `profile` job kind,
 * the profile webview, the editor's lenses and inline result, and the graph's latency overlay.
 *
 * SPEC fixes `{results:[{target,latencyMs,peakMemoryBytes,energyMj,powerW,fits:{latency,memory,
 * power},layers:[{node,op,engine,ms}]}],measured?:{p50Ms,p90Ms,p99Ms,runs},runId}`; everything
 * else here extends that shape (never renames or drops a SPEC field). Times are milliseconds,
 * sizes bytes, energy millijoules, power watts, rates per second.
 */

const nonNegative = z.number().nonnegative();

/** Why an op takes the time it takes: its roofline side, or the fixed per-op overhead. */
export const layerBounds = ['compute', 'memory', 'overhead'] as const;
export type LayerBound = (typeof layerBounds)[number];

/**
 * One executed kernel: a node, or a fused group headed by `node` (the others in `fusedWith`).
 * `ms` includes the transfer onto its engine when the op fell back to another engine.
 */
export const profileLayerSchema = z.object({
  /** Node name (its label when unnamed), as the graph view shows it. */
  node: z.string(),
  op: z.string(),
  /** Engine id within the target (e.g. `npu`, `cpu`). */
  engine: z.string(),
  ms: nonNegative,
  /** FLOPs of the layer (the whole fused group); a floor when `unknownCost`. */
  flops: nonNegative,
  /** DRAM traffic of the layer: weights plus activations not kept in SRAM. */
  bytes: nonNegative,
  bound: z.enum(layerBounds),
  /** Other nodes fused into this kernel, in execution order. */
  fusedWith: z.array(z.string()).optional(),
  /** Time spent moving inputs from another engine (fallback or engine switch); included in `ms`. */
  transferMs: nonNegative.optional(),
  /** The op is not supported by the preferred engine at this precision and ran here instead. */
  fallback: z.boolean().optional(),
  /** The cost model has no rule for this op (or its shapes are unknown): `flops` is a stated floor. */
  unknownCost: z.boolean().optional(),
});

/** Busy time of one engine of the target during one inference, with its roofline figures. */
export const engineUseSchema = z.object({
  engine: z.string(),
  kind: z.enum(engineKinds),
  busyMs: nonNegative,
  /** busyMs / latencyMs of one inference (0..1). */
  utilisation: nonNegative,
  /** busyMs x fps / 1000 at the use case's fps budget (may exceed 1: over-subscribed). */
  utilisationAtFps: nonNegative.optional(),
  /** Peak at the profiled precision, ops/s (the roofline's ceiling). */
  peakOpsPerS: nonNegative,
  /** DRAM bandwidth this engine sees, bytes/s (the roofline's slope). */
  bandwidthBytesPerS: nonNegative,
});

export const profileWarningSchema = z.object({
  /** Stable code, e.g. `unknown-cost`, `no-engine-for-precision`, `dynamic-shape`. */
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
});

/** Budgets of the use case's target, in result units; absent fields were not set. */
export const profileBudgetsSchema = z.object({
  latencyMs: nonNegative.optional(),
  memoryBytes: nonNegative.optional(),
  powerW: nonNegative.optional(),
  fps: nonNegative.optional(),
});

/**
 * Whether a figure is within its budget; `null` when no budget is set. `memory` is also checked
 * against the SoC's memory size when no memory budget is set. `fps`: sustained fps >= budget and
 * latency <= 1000 / fps.
 */
export const profileFitsSchema = z.object({
  latency: z.boolean().nullable(),
  memory: z.boolean().nullable(),
  power: z.boolean().nullable(),
  fps: z.boolean().nullable().optional(),
});

/** Decoder LLMs with KV-cache inputs: throughput and KV-cache memory per context length. */
export const llmProfileSchema = z.object({
  /** KV-cache bytes added per token of context (all layers, keys and values). */
  kvBytesPerToken: nonNegative,
  contexts: z.array(
    z.object({
      contextTokens: z.number().int().positive(),
      kvCacheBytes: nonNegative,
      /** Prompt processing: tokens/s when the whole context is processed in one pass. */
      prefillTokensPerS: nonNegative,
      /** Generation: one token per step with the KV cache at this length. */
      decodeTokensPerS: nonNegative,
    }),
  ),
});

/** One cut of a vehicle-cloud split: nodes up to `afterIndex` (topological order) run in the vehicle. */
export const splitCutSchema = z.object({
  /** Number of nodes (topological order) run in the vehicle: 0 = all in the cloud, n = all in the vehicle. */
  vehicleNodes: z.number().int().nonnegative(),
  /** Last node run in the vehicle; absent for the all-cloud cut. */
  after: z.string().optional(),
  vehicleMs: nonNegative,
  /** Bytes of the tensors crossing the cut (after the optional quantization of the transfer). */
  transferBytes: nonNegative,
  /** transferBytes at the uplink bandwidth, plus the round trip (0 for the all-vehicle cut). */
  transferMs: nonNegative,
  cloudMs: nonNegative,
  totalMs: nonNegative,
});

export const splitProfileSchema = z.object({
  cloudTarget: z.string(),
  uplinkBitsPerS: nonNegative,
  rttMs: nonNegative,
  /** Element type the cut tensors are sent as (e.g. `int8` when quantized for transfer). */
  transferPrecision: z.string(),
  /** Every cut in topological order (the curve). */
  cuts: z.array(splitCutSchema),
  /** Index into `cuts` of the fastest cut. */
  best: z.number().int().nonnegative(),
});

export const targetProfileSchema = z.object({
  /** SoC id from the catalog. */
  target: z.string(),
  /** The use case this row is for, when several are profiled together (`--ecu`). */
  useCase: z.string().optional(),
  targetName: z.string().optional(),
  precision: z.enum(precisions),
  /** Engine kind the use case asked for (targets[].engine), if any. */
  requestedEngine: z.enum(engineKinds).optional(),
  latencyMs: nonNegative,
  /** Weights plus the peak of live activations (tensor lifetimes in execution order). */
  peakMemoryBytes: nonNegative,
  weightBytes: nonNegative,
  peakActivationBytes: nonNegative,
  /** Dynamic energy of one inference (compute + DRAM traffic); the SoC's static power is not included. */
  energyMj: nonNegative,
  /** Average power the model adds: at the fps budget when one is set, else running back to back (energy / latency). */
  powerW: nonNegative,
  /** Frames per second sustainable under the SoC's thermal limit (and by latency). */
  sustainedFps: nonNegative,
  /** True when the thermal limit, not latency, bounds `sustainedFps`. */
  thermalLimited: z.boolean(),
  budgets: profileBudgetsSchema.optional(),
  fits: profileFitsSchema,
  engines: z.array(engineUseSchema),
  layers: z.array(profileLayerSchema),
  warnings: z.array(profileWarningSchema),
  llm: llmProfileSchema.optional(),
  split: splitProfileSchema.optional(),
});

/** `aios profile --ecu NAME`: all use cases deployed on one ECU and SoC, run side by side. */
export const ecuLoadSchema = z.object({
  ecu: z.string(),
  target: z.string(),
  useCases: z.array(
    z.object({
      file: z.string(),
      name: z.string(),
      fps: nonNegative,
      /** The use case gives no fps budget: 1000 / its latency budget, else 10 fps, was assumed. */
      assumedFps: z.boolean().optional(),
      latencyMs: nonNegative,
      peakMemoryBytes: nonNegative,
    }),
  ),
  /** Per engine: sum over use cases of busy time x fps (1 = fully busy). */
  engines: z.array(z.object({ engine: z.string(), kind: z.enum(engineKinds), utilisation: nonNegative })),
  memoryBytes: nonNegative,
  memoryCapacityBytes: nonNegative,
  verdict: z.enum(['fits', 'overloaded']),
  /** How far the worst engine (or memory) is over capacity, in percent; 0 when it fits. */
  overloadPercent: nonNegative,
});

/**
 * A run of the model on this host with onnxruntime-node (`aios profile --measure`). Filled by
 * the host-measurement module (prof-host), not by the estimator.
 */
export const measuredProfileSchema = z.object({
  p50Ms: nonNegative,
  p90Ms: nonNegative,
  p99Ms: nonNegative,
  runs: z.number().int().nonnegative(),
  warmupRuns: z.number().int().nonnegative().optional(),
  /** onnxruntime-node's version and the input sizes the model ran at. */
  ortVersion: z.string().optional(),
  inputs: z.array(z.object({ name: z.string(), dims: z.array(z.number().int().nonnegative()) })).optional(),
  /** ORT's per-node profile (median per run), attributed to model nodes; `covers`: nodes ORT fused into the same kernel. */
  layers: z.array(z.object({ node: z.string(), op: z.string(), ms: nonNegative, covers: z.array(z.string()).optional(), estimatedMs: nonNegative.optional() })).optional(),
  /** Time of kernels ORT inserted itself (layout reorders, its own fusions without a model node). */
  unattributedMs: nonNegative.optional(),
  /** Spearman rank correlation of estimated vs measured per-node times on host-cpu. */
  rankCorrelation: z.number().min(-1).max(1).optional(),
  /** Layers measured on both sides that the correlation is over. */
  comparedLayers: z.number().int().nonnegative().optional(),
  /** host-cpu's estimated latency over measured p50 (1 = exact). */
  estimateRatio: nonNegative.optional(),
});

export const profileResultSchema = z.object({
  /** The model profiled (absolute path). */
  model: z.string().optional(),
  /** The use case it came from, when INPUT was a use case. */
  useCase: z.string().optional(),
  results: z.array(targetProfileSchema),
  measured: measuredProfileSchema.optional(),
  /** Why `--measure` could not run the model; the estimate is still given. */
  measureError: z.string().optional(),
  ecu: ecuLoadSchema.optional(),
  runId: z.string().optional(),
});

export type ProfileLayer = z.output<typeof profileLayerSchema>;
export type EngineUse = z.output<typeof engineUseSchema>;
export type ProfileWarning = z.output<typeof profileWarningSchema>;
export type ProfileBudgets = z.output<typeof profileBudgetsSchema>;
export type ProfileFits = z.output<typeof profileFitsSchema>;
export type LlmProfile = z.output<typeof llmProfileSchema>;
export type SplitCut = z.output<typeof splitCutSchema>;
export type SplitProfile = z.output<typeof splitProfileSchema>;
export type TargetProfile = z.output<typeof targetProfileSchema>;
export type EcuLoad = z.output<typeof ecuLoadSchema>;
export type MeasuredProfile = z.output<typeof measuredProfileSchema>;
export type ProfileResult = z.output<typeof profileResultSchema>;
