import type { OpClass } from '../compute/words';
import type { Node } from '../onnx/model';
import { intAttr } from '../onnx/nodeAttributes';
import type { ShapeInferenceResult } from '../onnx/shape/types';

/** Op types by class; anything not listed is `other`. */
const opsByClass: ReadonlyArray<readonly [OpClass, string]> = [
  ['conv', `Conv ConvTranspose ConvInteger QLinearConv FusedConv NhwcConv`],
  ['matmul', `MatMul Gemm MatMulInteger QLinearMatMul MatMulNBits FusedMatMul FusedGemm QGemm MatMulIntegerToFloat DynamicQuantizeMatMul Einsum Attention MultiHeadAttention GroupQueryAttention LSTM GRU RNN`],
  ['elementwise', `Add Sub Mul Div Pow Neg Abs Reciprocal Floor Ceil Round Sign Sqrt Exp Log Relu LeakyRelu PRelu Sigmoid HardSigmoid
  HardSwish Tanh Elu Selu Celu Softplus Softsign Erf Gelu FastGelu BiasGelu QuickGelu BiasAdd Mish Clip Where Equal Less Greater LessOrEqual
  GreaterOrEqual And Or Xor Not Sin Cos Max Min Sum Mean QuantizeLinear DequantizeLinear DynamicQuantizeLinear QLinearAdd QLinearMul
  QLinearSigmoid QLinearLeakyRelu Swish RotaryEmbedding Mod`],
  ['pool', `MaxPool AveragePool LpPool GlobalAveragePool GlobalMaxPool GlobalLpPool QLinearGlobalAveragePool QLinearAveragePool Resize Upsample`],
  ['normalization', `BatchNormalization LayerNormalization InstanceNormalization GroupNormalization SkipLayerNormalization
  SimplifiedLayerNormalization SkipSimplifiedLayerNormalization LpNormalization MeanVarianceNormalization LRN`],
  ['softmax', `Softmax LogSoftmax QLinearSoftmax BiasSoftmax Hardmax`],
  ['reduction', `ReduceSum ReduceMean ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceSumSquare ArgMax ArgMin TopK CumSum`],
  ['datamove', `Reshape Transpose Gather GatherElements GatherND Slice Concat Split Squeeze Unsqueeze Flatten Expand Tile Pad Shape Size
  Identity Cast CastLike Dropout DepthToSpace SpaceToDepth ScatterND ScatterElements Constant ConstantOfShape Range Trilu`],
];

const classOf: ReadonlyMap<string, OpClass> = new Map(opsByClass.flatMap(([cls, ops]) => ops.split(/\s+/).filter(Boolean).map((op) => [op, cls] as const)));

/** Ops that cost nothing at run time on any engine: shape bookkeeping resolved when the model is compiled. */
export const freeOps: ReadonlySet<string> = new Set(['Shape', 'Size', 'Constant', 'Identity', 'Dropout', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten']);

/** The efficiency class of a node: depthwise convolutions (group = channels > 1) are their own class. */
export function opClassOf(node: Node, shapes: ShapeInferenceResult): OpClass {
  const cls = classOf.get(node.opType) ?? 'other';
  if (cls === 'conv' && node.opType !== 'ConvTranspose') {
    const group = intAttr(node, 'group', 1);
    const w = shapes.tensors.get(node.inputs[node.opType === 'QLinearConv' ? 3 : 1] ?? '')?.shape;
    // Depthwise: one input channel per group (weight [M, 1, kh, kw]).
    if (group > 1 && w?.[1] === 1) return 'depthwise';
  }
  return cls;
}

/**
 * Reduction length and output width of a dense kernel, which decide how well it fills a
 * matrix engine's tiles; undefined for other ops or unknown shapes.
 */
export function denseDims(node: Node, shapes: ShapeInferenceResult): { k: number; n: number } | undefined {
  const shape = (i: number) => shapes.tensors.get(node.inputs[i] ?? '')?.shape;
  const num = (d: unknown) => (typeof d === 'number' ? d : undefined);
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger':
    case 'FusedConv':
    case 'QLinearConv': {
      const w = shape(node.opType === 'QLinearConv' ? 3 : 1);
      if (!w || w.length < 2) return undefined;
      const k = w.slice(1).reduce<number | undefined>((a, d) => (a === undefined || num(d) === undefined ? undefined : a * (d as number)), 1);
      // A grouped convolution is `group` independent products, each cout / group wide; a depthwise one
      // (one input channel per group) is its own op class, vectorised across its channels.
      const group = intAttr(node, 'group', 1);
      const cout = num(w[0]);
      const n = cout !== undefined && group > 1 && w[1] !== 1 ? cout / group : cout;
      return k === undefined || n === undefined ? undefined : { k, n };
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
    case 'FusedMatMul': {
      const a = shape(0);
      const b = shape(node.opType === 'QLinearMatMul' ? 3 : 1);
      const k = num(a?.[a.length - 1]);
      const n = num(b?.[b.length - 1]);
      return k === undefined || n === undefined ? undefined : { k, n };
    }
    case 'Gemm': {
      const b = shape(1);
      const transB = intAttr(node, 'transB', 0) === 1;
      const k = num(b?.[transB ? 1 : 0]);
      const n = num(b?.[transB ? 0 : 1]);
      return k === undefined || n === undefined ? undefined : { k, n };
    }
    case 'MatMulNBits': {
      const k = intAttr(node, 'K', 0);
      const n = intAttr(node, 'N', 0);
      return k > 0 && n > 0 ? { k, n } : undefined;
    }
    default:
      return undefined;
  }
}
