/**
 * onnxruntime's NCHWc layout pass on x86 CPUs: Convs whose output channels are a multiple of
 * the SIMD block (16 floats with AVX-512, 8 with AVX2) run on channel-blocked tensors, and so
 * do the pools, activations, same-shape Add/Mul, channel Concats and Resizes that read them.
 * Wherever a blocked tensor meets any other consumer (or is a graph output), onnxruntime inserts
 * a ReorderOutput, and a Conv reading a plain tensor with blocked input channels gets a
 * ReorderInput: each a pass over the tensor that no model node accounts for. This is a
 * simplified reading of onnxruntime's nchwc_transformer.cc (the cases automotive CNNs use).
 */
import type { NodeCostEntry } from '../../onnx/cost';
import type { ShapeInferenceResult } from '../../onnx/shape/types';
import { intAttr, strAttr } from '../../onnx/nodeAttributes';
import { numel } from '../../onnx/shape/dims';
import { byteSize } from '../../onnx/shape/dtypes';

const keepsBlocked = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'LeakyRelu', 'HardSigmoid', 'BatchNormalization']);
const sameShapeBinary = new Set(['Add', 'Sum', 'Mul']);

/**
 * Bytes each node's reorders move (read and written), per entry of `entries` (main graph only),
 * for a SIMD block of `block` floats; a reorder is charged to the node that needs it (the graph
 * output's to its producer), once per tensor.
 */
export function nchwcReorderBytes(entries: readonly NodeCostEntry[], shapes: ShapeInferenceResult, weights: ReadonlySet<string>, graphOutputs: ReadonlySet<string>, block: number): Float64Array {
  const bytes = new Float64Array(entries.length);
  const blocked = new Set<string>();
  const reordered = new Set<string>();
  const shapeOf = (name: string) => shapes.tensors.get(name)?.shape;
  const tensorBytes = (name: string) => {
    const info = shapes.tensors.get(name);
    return byteSize(info?.dtype, numel(info?.shape) ?? 0) ?? 0;
  };
  const reorder = (i: number, tensor: string) => {
    if (reordered.has(tensor)) return;
    reordered.add(tensor);
    bytes[i] = (bytes[i] as number) + 2 * tensorBytes(tensor);
  };
  entries.forEach((entry, i) => {
    if (entry.graphPath !== '') return;
    const { node } = entry;
    const activations = node.inputs.filter((n) => n !== '' && !weights.has(n));
    const allBlocked = activations.length > 0 && activations.every((n) => blocked.has(n));
    let outputBlocked = false;
    if (node.opType === 'Conv' && node.domain === '') {
      const w = shapeOf(node.inputs[1] ?? '');
      const x = node.inputs[0] ?? '';
      const cout = typeof w?.[0] === 'number' ? w[0] : 0;
      const cin = typeof shapeOf(x)?.[1] === 'number' ? (shapeOf(x)![1] as number) : 0;
      const group = intAttr(node, 'group', 1);
      const depthwise = group > 1 && group === cin && cin === cout;
      if (w?.length === 4 && cout > 0 && cout % block === 0 && (group === 1 || depthwise)) {
        outputBlocked = true;
        // A Conv with blocked input channels reads a blocked tensor; other group-1 Convs read the plain one directly.
        if (!blocked.has(x) && cin % block === 0) reorder(i, x);
        for (const extra of activations.slice(1)) if (blocked.has(extra)) reorder(i, extra);
      }
    } else if (allBlocked && keepsBlocked.has(node.opType)) {
      outputBlocked = true;
    } else if (allBlocked && sameShapeBinary.has(node.opType) && activations.every((n) => JSON.stringify(shapeOf(n)) === JSON.stringify(shapeOf(activations[0]!)))) {
      outputBlocked = true;
    } else if (allBlocked && node.opType === 'Concat' && intAttr(node, 'axis', 0) === 1) {
      outputBlocked = true;
    } else if (allBlocked && (node.opType === 'Resize' || node.opType === 'Upsample') && ['nearest', 'linear'].includes(strAttr(node, 'mode', 'nearest'))) {
      outputBlocked = true;
    }
    if (!outputBlocked) {
      for (const n of activations) if (blocked.has(n)) reorder(i, n);
      return;
    }
    for (const o of node.outputs) {
      if (!o) continue;
      blocked.add(o);
      if (graphOutputs.has(o)) reorder(i, o);
    }
  });
  return bytes;
}
