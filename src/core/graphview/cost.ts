import type { Node } from '../onnx/model';
import type { TensorType } from './tensorTypes';

/**
 * Minimal per-node cost while the engine's cost model is not available: params are the
 * initializer elements a node reads; FLOPs count multiply-adds as 2 for Conv/MatMul/Gemm and
 * one per output element otherwise, and are unknown (`null`) when an output shape is not
 * fully known.
 */
export function nodeFlops(
  node: Node,
  typeOf: (tensor: string) => TensorType | undefined,
): number | null {
  const out = typeOf(node.outputs[0] ?? '');
  const outElements = elementCount(out?.shape ?? null);
  if (outElements === null) return null;
  switch (node.opType) {
    case 'Conv':
    case 'ConvTranspose': {
      const weight = elementCount(typeOf(node.inputs[1] ?? '')?.shape ?? null);
      const outChannels = numericDim(typeOf(node.inputs[1] ?? '')?.shape?.[0]);
      if (weight === null || outChannels === null || outChannels === 0) return null;
      return 2 * outElements * (weight / outChannels);
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'Gemm': {
      const a = typeOf(node.inputs[0] ?? '')?.shape;
      if (!a || a.length === 0) return null;
      let transA = false;
      for (const attr of node.attributes) if (attr.name === 'transA' && attr.value.type === 'int') transA = attr.value.value !== 0n;
      const k = numericDim(node.opType === 'Gemm' && transA ? a[0] : a[a.length - 1]);
      return k === null ? null : 2 * outElements * k;
    }
    default:
      return outElements;
  }
}

function numericDim(d: number | string | null | undefined): number | null {
  return typeof d === 'number' ? d : null;
}

export function elementCount(shape: ReadonlyArray<number | string | null> | null): number | null {
  if (shape === null) return null;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}
