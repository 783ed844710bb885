/**
 * Words shared by use cases and SoC targets: numeric precisions and kinds of compute engine.
 * A leaf module (imports nothing), so `usecase` and `soc` can both use them without depending
 * on each other.
 */
export const precisions = ['fp32', 'fp16', 'int8', 'int4-weight'] as const;
export const engineKinds = ['npu', 'gpu', 'dsp', 'cpu'] as const;
/**
 * Classes of ONNX op that run at different fractions of an engine's peak (the profiler's
 * efficiency table; src/core/profile/opClass.ts sorts op types into them).
 */
export const opClasses = ['conv', 'depthwise', 'matmul', 'elementwise', 'pool', 'normalization', 'softmax', 'reduction', 'datamove', 'other'] as const;

export type Precision = (typeof precisions)[number];
export type EngineKind = (typeof engineKinds)[number];
export type OpClass = (typeof opClasses)[number];
