export { diffModels } from './diff';
export type { WeightDelta } from './weightDelta';
export type { ChangedWeight, DiffIo, DiffNodeChange, DiffNodeRef, DiffOptions, DiffValueChange, ModelDiff } from './diff';
