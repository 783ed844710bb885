/**
 * Kernel kinds of the host-cpu model: which ONNX nodes onnxruntime's CPU provider runs with the
 * same code (so one measured speed curve serves them all), and the shape figures their speed
 * depends on. The calibration labels its micro-benchmarks with this same function, so a model's
 * node and the benchmark it is compared with are described alike.
 * - Dense kinds are timed in FLOPs/s (the cost model's FLOPs) and described by (k, n, m): the
 *   reduction length, the output channels (columns) and the output positions (rows).
 * - Memory-bound kinds are timed in bytes/s and described by the bytes they read and write.
 *   (A BatchNormalization onnxruntime did not fold into a Conv is a per-channel multiply-add:
 *   binary.)
 */
import type { KernelKind } from '../../compute/kernelKinds';
import type { Node } from '../../onnx/model';
import { DataType } from '../../onnx/model';
import { intAttr, intsAttr } from '../../onnx/nodeAttributes';
import { numel } from '../../onnx/shape/dims';
import { byteSize } from '../../onnx/shape/dtypes';
import type { ShapeInferenceResult } from '../../onnx/shape/types';

export type { KernelKind } from '../../compute/kernelKinds';

/** What a node costs the host, in the terms its kind is measured in. */
export interface KernelShape {
  readonly kind: KernelKind;
  /** 'flops' for dense kinds, 'bytes' for memory-bound ones. */
  readonly unit: 'flops' | 'bytes';
  /** FLOPs or bytes of one execution. */
  readonly work: number;
  /** Dense kinds: reduction length, output channels, output positions; memory kinds: [bytes, 1, 1]. */
  readonly dims: readonly [number, number, number];
}

const kindOfOp: ReadonlyMap<string, KernelKind> = new Map(
  (
    [
      ['conv-int8', 'ConvInteger QLinearConv'],
      ['convtranspose', 'ConvTranspose'],
      ['matmul', 'MatMul FusedMatMul Gemm FusedGemm MatMulNBits Einsum Attention MultiHeadAttention GroupQueryAttention'],
      ['matmul-int8', 'MatMulInteger QLinearMatMul MatMulIntegerToFloat DynamicQuantizeMatMul QGemm'],
      ['rnn', 'LSTM GRU RNN'],
      ['unary', 'Relu LeakyRelu PRelu Clip Abs Neg Floor Ceil Round Sign Not Identity HardSigmoid ThresholdedRelu Reciprocal Sqrt Shrink'],
      ['transcendental', 'Sigmoid Tanh Exp Log Erf Gelu FastGelu BiasGelu QuickGelu Softplus Softsign Elu Selu Celu Mish Swish HardSwish Sin Cos'],
      ['binary', 'Add Sub Mul Div Pow Max Min Sum Mean Where Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor Mod BiasAdd QLinearAdd QLinearMul BatchNormalization'],
      ['pool', 'MaxPool AveragePool LpPool QLinearAveragePool'],
      ['resize', 'Resize Upsample'],
      ['normalization', 'LayerNormalization InstanceNormalization GroupNormalization SkipLayerNormalization SimplifiedLayerNormalization SkipSimplifiedLayerNormalization LpNormalization MeanVarianceNormalization LRN'],
      ['softmax', 'Softmax LogSoftmax Hardmax QLinearSoftmax'],
      ['reduction', 'ReduceSum ReduceMean ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceSumSquare ArgMax ArgMin TopK CumSum GlobalAveragePool GlobalMaxPool GlobalLpPool QLinearGlobalAveragePool'],
      ['transpose', 'Transpose DepthToSpace SpaceToDepth'],
      ['copy', 'Concat Split Slice Gather GatherElements GatherND Pad Tile Expand ScatterND ScatterElements Trilu Range ConstantOfShape'],
      ['cast', 'Cast CastLike'],
      ['quantize', 'QuantizeLinear DequantizeLinear DynamicQuantizeLinear'],
    ] as const
  ).flatMap(([kind, ops]) => ops.split(' ').map((op) => [op, kind] as const)),
);

const known = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;

/**
 * Bytes a memory-bound node moves: its activation inputs and outputs. float16 tensors count as
 * float32 except in a Cast: onnxruntime's CPU provider runs most ops on float16 data by casting
 * it to float32 first.
 */
function movedBytes(node: Node, shapes: ShapeInferenceResult, weights: ReadonlySet<string>): number {
  let bytes = 0;
  for (const name of [...node.inputs.filter((n) => !weights.has(n)), ...node.outputs]) {
    if (!name) continue;
    const info = shapes.tensors.get(name);
    const elements = numel(info?.shape);
    if (elements === undefined) continue;
    const dtype = info?.dtype === DataType.FLOAT16 && node.opType !== 'Cast' ? DataType.FLOAT : info?.dtype;
    bytes += byteSize(dtype, elements) ?? 4 * elements;
  }
  return bytes;
}

/** The kernel kind of a conv-like node: depthwise, 1x1 stride 1, or the general case. */
function convKind(node: Node, w: readonly unknown[] | undefined): KernelKind {
  if (node.opType === 'ConvInteger' || node.opType === 'QLinearConv') return 'conv-int8';
  const group = intAttr(node, 'group', 1);
  if (group > 1 && w?.[1] === 1) return 'depthwise';
  const spatial = w?.slice(2) ?? [];
  const strides = intsAttr(node, 'strides') ?? [];
  return spatial.length > 0 && spatial.every((d) => d === 1) && strides.every((s) => s === 1) ? 'conv1x1' : 'conv';
}

/**
 * The kind, work and shape figures of `node`; undefined for nodes the host model does not time
 * (shape arithmetic, unknown shapes, ops of no kind), which keep the generic roofline.
 */
export function describeKernel(node: Node, shapes: ShapeInferenceResult, weights: ReadonlySet<string>, flops: number | undefined): KernelShape | undefined {
  const kind = kindOfOp.get(node.opType) ?? (['Conv', 'FusedConv', 'NhwcConv'].includes(node.opType) ? 'conv' : undefined);
  if (kind === undefined) return undefined;
  const shape = (name: string | undefined) => (name ? shapes.tensors.get(name)?.shape : undefined);
  const num = (d: unknown) => (typeof d === 'number' ? d : undefined);
  const dense = (k: number | undefined, n: number | undefined, m: number | undefined, kindOverride?: KernelKind): KernelShape | undefined =>
    known(flops) ? { kind: kindOverride ?? kind, unit: 'flops', work: flops, dims: [known(k) ? k : 1, known(n) ? n : 1, known(m) ? m : 1] } : undefined;
  const outElements = numel(shape(node.outputs[0]));
  switch (kind) {
    case 'conv':
    case 'conv-int8': {
      const w = shape(node.inputs[node.opType === 'QLinearConv' ? 3 : 1]);
      const ck = convKind(node, w);
      const n = num(w?.[0]);
      if (ck === 'depthwise') {
        const k = numel(w?.slice(2));
        return dense(k, n, n && outElements ? outElements / n : undefined, ck);
      }
      return dense(numel(w?.slice(1)), n, n && outElements ? outElements / n : undefined, ck);
    }
    case 'convtranspose': {
      const w = shape(node.inputs[1]);
      const x = shape(node.inputs[0]);
      const cin = num(w?.[0]);
      const n = numel(w?.slice(1));
      const inElements = numel(x);
      const group = intAttr(node, 'group', 1);
      return dense(cin === undefined ? undefined : cin / group, n, cin && inElements ? inElements / cin : undefined);
    }
    case 'matmul':
    case 'matmul-int8': {
      let k: number | undefined;
      let n: number | undefined;
      if (node.opType === 'MatMulNBits') {
        k = intAttr(node, 'K', 0);
        n = intAttr(node, 'N', 0);
      } else if (node.opType === 'Gemm' || node.opType === 'FusedGemm' || node.opType === 'QGemm') {
        const b = shape(node.inputs[node.opType === 'QGemm' ? 3 : 1]);
        const transB = intAttr(node, 'transB', 0) === 1;
        k = num(b?.[transB ? 1 : 0]);
        n = num(b?.[transB ? 0 : 1]);
      } else {
        const a = shape(node.inputs[0]);
        const b = shape(node.inputs[node.opType === 'QLinearMatMul' ? 3 : 1]);
        k = num(a?.[a.length - 1]);
        n = num(b?.[b.length - 1]);
      }
      return dense(k, n, n && outElements ? outElements / n : undefined);
    }
    case 'rnn': {
      const x = shape(node.inputs[0]);
      const w = shape(node.inputs[1]);
      const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
      const rows = num(w?.[1]);
      const hidden = intAttr(node, 'hidden_size', 0) || (rows === undefined ? undefined : rows / gates);
      const input = num(x?.[2]);
      const seq = num(x?.[intAttr(node, 'layout', 0) === 0 ? 0 : 1]);
      return dense(input !== undefined && hidden !== undefined ? input + hidden : undefined, hidden === undefined ? undefined : gates * hidden, seq);
    }
    default: {
      const bytes = movedBytes(node, shapes, weights);
      return bytes > 0 ? { kind, unit: 'bytes', work: bytes, dims: [bytes, 1, 1] } : undefined;
    }
  }
}
