import type { Graph } from '../onnx/model';
import { maxInputDim, type GivenInputSizes } from '../../protocol/graphMessages';

/**
 * Checks sizes the user set in the view against the model before anything is recomputed:
 * every name is a real (non-initializer) input, one entry per dim, each a positive integer
 * no larger than `maxInputDim`, and a dim the model fixes keeps its size. Throws one message
 * that says what is wrong and what to do.
 */
export function checkGivenSizes(graph: Graph, sizes: GivenInputSizes): void {
  const initializers = new Set(graph.initializers.map((t) => t.name));
  const inputs = new Map(graph.inputs.filter((v) => !initializers.has(v.name)).map((v) => [v.name, v]));
  for (const [name, dims] of Object.entries(sizes)) {
    const input = inputs.get(name);
    if (!input) throw new Error(`the model has no input named ${JSON.stringify(name)} (inputs: ${[...inputs.keys()].join(', ') || 'none'}); reopen the view to get its current inputs`);
    const declared = input.type?.kind === 'tensor' ? input.type.shape : undefined;
    if (declared && declared.length !== dims.length) throw new Error(`input ${JSON.stringify(name)} has ${declared.length} dims, but ${dims.length} sizes were given; give one size per dim`);
    dims.forEach((size, i) => {
      if (size === null) return;
      if (!Number.isSafeInteger(size) || size < 1 || size > maxInputDim) throw new Error(`input ${JSON.stringify(name)} dim ${i}: ${size} is not a whole number from 1 to ${maxInputDim}`);
      const fixed = declared?.[i];
      if (typeof fixed === 'number' && fixed >= 0 && fixed !== size) throw new Error(`input ${JSON.stringify(name)} dim ${i} is fixed at ${fixed} in the model; only its dynamic dims can be set`);
    });
  }
}
