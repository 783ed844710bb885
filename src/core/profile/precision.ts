import type { Precision } from '../compute/words';
import type { ModelCost } from '../onnx/cost';
import type { Model } from '../onnx/model';
import { dtypeBits, isFloatType } from '../onnx/shape/dtypes';
import { elementBytes } from './engineModel';

/** The precision a model is stored in: int4 weight-only, int8 (QDQ / integer weights), fp16, else fp32. */
export function nativePrecision(cost: ModelCost): Precision {
  if (cost.nodes.some((e) => e.node.opType === 'MatMulNBits')) return 'int4-weight';
  const byDtype = cost.totals.weightBytesByDtype;
  const bytes = (names: readonly string[]) => names.reduce((s, n) => s + (byDtype[n] ?? 0), 0);
  const int8 = bytes(['int8', 'uint8']);
  const fp16 = bytes(['float16', 'bfloat16']);
  const fp32 = bytes(['float32', 'float', 'double']);
  if (int8 > 0 && int8 >= fp32 / 4 && int8 >= fp16 / 2) return 'int8';
  if (fp16 > fp32) return 'fp16';
  if (fp16 > 0 && fp32 === 0) return 'fp16';
  return 'fp32';
}

/**
 * Factors from the bytes the model stores to the bytes the target moves at `precision`:
 * weights per stored weight byte, activations per stored activation byte (the float dtype of
 * the graph's inputs, float32 when there is none).
 */
export function byteScales(model: Model, cost: ModelCost, precision: Precision): { weight: number; activation: number } {
  const { params, weightBytes } = cost.totals;
  const storedWeight = params > 0 && weightBytes > 0 ? weightBytes / params : 4;
  const firstFloat = model.graph.inputs.map((v) => (v.type?.kind === 'tensor' ? v.type.elemType : undefined)).find((d) => isFloatType(d));
  const storedActivation = (dtypeBits(firstFloat) ?? 32) / 8;
  const target = elementBytes(precision);
  return { weight: target.weight / storedWeight, activation: target.activation / storedActivation };
}
