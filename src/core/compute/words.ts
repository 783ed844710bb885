/**
 * Words shared by use cases and SoC targets: numeric precisions and kinds of compute engine.
 * A leaf module (imports nothing), so `usecase` and `soc` can both use them without depending
 * on each other.
 */
export const precisions = ['fp32', 'fp16', 'int8', 'int4-weight'] as const;
export const engineKinds = ['npu', 'gpu', 'dsp', 'cpu'] as const;

export type Precision = (typeof precisions)[number];
export type EngineKind = (typeof engineKinds)[number];
