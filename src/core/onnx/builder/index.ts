export { GraphBuilder, makeTensor, tensorType, dataTypeOf, type NodeOptions, type TensorValues } from './graphBuilder';
export { ModelBuilder, type ModelBuilderOptions } from './modelBuilder';
export { Rng } from './random';
export * as attr from './attributes';
