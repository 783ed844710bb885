export { diffModels } from './diff';
export type { DiffIo, DiffNodeChange, DiffNodeRef, DiffOptions, DiffValueChange, ModelDiff } from './diff';
