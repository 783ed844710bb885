export { inferShapes, InputShapeError, mergeInfo } from './infer';
export type { ConstValue, Elem, ShapeInferenceOptions, ShapeInferenceResult, ShapeProblem, TensorInfo } from './types';
export { dtypeName, dtypeBits, byteSize } from './dtypes';
export { supportedOps } from './ops';
