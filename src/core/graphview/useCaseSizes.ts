import { resolve } from 'node:path';
import type { FileSystem } from '../fs';
import type { GivenInputSizes } from '../../protocol/graphMessages';
import { readModelReference } from '../usecase/modelReference';
import { isMapping } from '../diagnostics/rawValues';
import { nameRecord } from '../safeRecord';

/** Sizes a use case declares for the model it references, and the use case that declares them. */
export interface UseCaseSizes {
  readonly file: string;
  readonly sizes: GivenInputSizes;
}

/**
 * The input shapes declared by the first of `useCaseFiles` whose `model.path` (relative to
 * the use case) is `modelPath`: the graph view computes shapes and FLOPs for them instead of
 * default sizes. Symbolic or missing dims stay unset. Unreadable or malformed use cases are
 * skipped: validation reports them where they are edited.
 */
export async function useCaseInputSizes(fs: FileSystem, modelPath: string, useCaseFiles: readonly string[], signal?: AbortSignal): Promise<UseCaseSizes | undefined> {
  const target = resolve(modelPath);
  for (const file of useCaseFiles) {
    signal?.throwIfAborted();
    const reference = await readModelReference(fs, file, signal);
    if (reference?.modelFile !== target) continue;
    const model = reference.section;
    const sizes = nameRecord<Array<number | null>>();
    for (const input of Array.isArray(model.inputs) ? model.inputs : []) {
      if (!isMapping(input) || typeof input.name !== 'string' || !Array.isArray(input.shape)) continue;
      sizes[input.name] = input.shape.map((d) => (typeof d === 'number' && Number.isSafeInteger(d) && d >= 1 ? d : null));
    }
    if (Object.keys(sizes).length > 0) return { file, sizes };
  }
  return undefined;
}
