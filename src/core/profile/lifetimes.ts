import type { Node } from '../onnx/model';

/**
 * Peak bytes of live activations when `order` runs one node at a time: a tensor lives from the
 * node that writes it (graph inputs: from the start) to its last reader (graph outputs: to the
 * end); a node's outputs are allocated while its inputs are still live (no in-place reuse).
 * Weights are not counted here: they live for the whole run.
 */
export function peakActivationBytes(
  order: readonly Node[],
  sizeOf: (tensor: string) => number,
  graphInputs: readonly string[],
  graphOutputs: ReadonlySet<string>,
  weights: ReadonlySet<string>,
): { peakBytes: number; atNode: number } {
  const lastUse = new Map<string, number>();
  order.forEach((node, i) => {
    for (const name of node.inputs) if (name && !weights.has(name)) lastUse.set(name, i);
  });
  let live = 0;
  for (const name of graphInputs) if (!weights.has(name)) live += sizeOf(name);
  let peakBytes = live;
  let atNode = -1;
  order.forEach((node, i) => {
    for (const name of node.outputs) if (name) live += sizeOf(name);
    if (live > peakBytes) {
      peakBytes = live;
      atNode = i;
    }
    for (const name of new Set(node.inputs)) if (name && !weights.has(name) && !graphOutputs.has(name) && lastUse.get(name) === i) live -= sizeOf(name);
    // Outputs nobody reads are dropped at once.
    for (const name of node.outputs) if (name && !graphOutputs.has(name) && !lastUse.has(name)) live -= sizeOf(name);
  });
  return { peakBytes, atNode };
}
