import * as z from 'zod/mini';

/**
 * What the profile webview shows (built from a profile result by core/profile/view) and the
 * messages between it and its host (the extension, or the page of `aios profile --html`).
 */

const text = z.string().check(z.maxLength(100_000));
const num = z.number().check(z.gte(0));
const fit = z.nullable(z.boolean());

export const profileViewLayerSchema = z.object({
  node: text,
  op: text,
  engine: text,
  ms: num,
  flops: num,
  bytes: num,
  bound: z.enum(['compute', 'memory', 'overhead']),
  /** ORT's measured time of this layer (host-cpu with --measure). */
  measuredMs: z.optional(num),
});

export const profileViewTargetSchema = z.object({
  target: text,
  targetName: z.optional(text),
  precision: text,
  latencyMs: num,
  peakMemoryBytes: num,
  energyMj: num,
  powerW: num,
  sustainedFps: num,
  budgets: z.optional(z.object({ latencyMs: z.optional(num), memoryBytes: z.optional(num), powerW: z.optional(num), fps: z.optional(num) })),
  fits: z.object({ latency: fit, memory: fit, power: fit, fps: z.optional(fit) }),
  /** Every layer (the view sorts and cuts to the top N). */
  layers: z.array(profileViewLayerSchema),
  engines: z.array(z.object({ engine: text, kind: text, utilisation: num, peakOpsPerS: num, bandwidthBytesPerS: num })),
  warnings: z.array(z.object({ code: text, message: text, node: z.optional(text) })),
  split: z.optional(
    z.object({
      cloudTarget: text,
      best: z.int().check(z.gte(0)),
      cuts: z.array(z.object({ vehicleNodes: z.int().check(z.gte(0)), after: z.optional(text), vehicleMs: num, transferMs: num, cloudMs: num, totalMs: num })),
    }),
  ),
});

export const profileViewSchema = z.object({
  title: text,
  /** The model file (absolute path) rows reveal nodes in; absent in pages without an editor. */
  model: z.optional(text),
  useCase: z.optional(text),
  results: z.array(profileViewTargetSchema),
  measured: z.optional(
    z.object({ p50Ms: num, p90Ms: num, p99Ms: num, runs: num, rankCorrelation: z.optional(z.number()), estimateRatio: z.optional(num), comparedLayers: z.optional(num) }),
  ),
  measureError: z.optional(text),
  ecu: z.optional(
    z.object({
      ecu: text,
      target: text,
      verdict: z.enum(['fits', 'overloaded']),
      overloadPercent: num,
      memoryBytes: num,
      memoryCapacityBytes: num,
      engines: z.array(z.object({ engine: text, utilisation: num })),
      useCases: z.array(z.object({ name: text, fps: num, latencyMs: num })),
    }),
  ),
});

export type ProfileView = z.infer<typeof profileViewSchema>;
export type ProfileViewTarget = z.infer<typeof profileViewTargetSchema>;
export type ProfileViewLayer = z.infer<typeof profileViewLayerSchema>;

export const hostToProfileViewSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('profile'), view: profileViewSchema })]);
export type HostToProfileView = z.infer<typeof hostToProfileViewSchema>;

export const profileViewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A layer row was clicked: show the node in the graph view. */
  z.object({ type: z.literal('revealNode'), node: text }),
  z.object({ type: z.literal('error'), message: text }),
]);
export type ProfileViewToHost = z.infer<typeof profileViewToHostSchema>;
