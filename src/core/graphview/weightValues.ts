import { nodeSubgraphs } from '../onnx/graph/subgraphs';
import type { Graph, Model, Tensor } from '../onnx/model';
import type { ShapeInferenceResult } from '../onnx/shape';
import { readConstValue } from '../onnx/shape/values';
import { constantTensor, elementCount } from './fold';

/** Weights up to this many elements show their value in the view (`axis = 1`, `sr = 16000`). */
export const maxShownElements = 4;

/** `1`, `0.5`, `[0, 2]`: short display text of a few numbers. */
export function formatValue(dims: readonly number[], data: readonly number[]): string {
  const text = data.map((v) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))));
  return dims.length === 0 ? (text[0] ?? '') : `[${text.join(', ')}]`;
}

/**
 * Display values of the model's small weights by tensor name: what shape inference folded
 * (constants and arithmetic on them, e.g. `Cast` of a `Constant`), then small initializers and
 * `Constant` values it did not read (small floats). Unreadable tensors are left out.
 */
export async function smallWeightValues(model: Model, shapes: ShapeInferenceResult | undefined, signal?: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, v] of shapes?.values ?? []) {
    if (v.data.length > maxShownElements || !v.data.every((x): x is number => typeof x === 'number')) continue;
    out.set(name, formatValue(v.dims, v.data));
  }
  const stored: Tensor[] = [];
  const visit = (g: Graph) => {
    for (const t of g.initializers) stored.push(t);
    for (const n of g.nodes) {
      if (n.opType === 'Constant') {
        const t = constantTensor(n);
        if (t) stored.push(t);
      }
      for (const { graph } of nodeSubgraphs(n)) visit(graph);
    }
  };
  visit(model.graph);
  for (const t of stored) {
    if (out.has(t.name) || elementCount(t) > maxShownElements) continue;
    try {
      const v = await readConstValue(t, signal);
      if (v && v.data.every((x): x is number => typeof x === 'number')) out.set(t.name, formatValue(v.dims, v.data));
    } catch (error) {
      signal?.throwIfAborted();
      void error; // an unreadable payload just shows no value; statistics will say why
    }
  }
  return out;
}
