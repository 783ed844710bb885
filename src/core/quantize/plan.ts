/**
 * Which nodes of a (prepared, topologically sorted) graph become int8, which tensors get a
 * QuantizeLinear/DequantizeLinear pair, and which Relu/Clip nodes are fused into their
 * producer. Pure: no tensor data is read here. The placement follows ONNX Runtime's QDQ
 * quantizer so that its CPU provider fuses DQ -> op -> Q into QLinearConv, QLinearMatMul,
 * QGemm, QLinearAdd/Mul/Concat/AveragePool, and runs MaxPool/Resize/Reshape... on uint8.
 */
import { DataType, type Graph } from '../onnx/model';
import { nodeLabel } from '../onnx/graph';
import type { TensorInfo } from '../onnx/shape';
import type { ActivationType } from './qparams';
import type { GlobMatcher } from '../usecase/glob';
import { intAttr } from '../onnx/nodeAttributes';

/** Ops with weights: input 0 (and for MatMul input 1 when not constant) is an activation. */
const COMPUTE_OPS = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);
/** Ops whose every activation input and output get their own parameters. */
const ELEMENTWISE_OPS = new Set(['Add', 'Mul', 'Concat', 'AveragePool', 'GlobalAveragePool']);
/** Ops that move or select uint8 values: the output takes the input's parameters (ORT drops their Q/DQ). */
const PASS_THROUGH_OPS = new Set(['MaxPool', 'Resize', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze']);
/** Activations that a uint8 range starting at 0 (Relu) or inside the clip bounds (Clip) makes redundant. */
const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Clip']);
/** Ops that only handle shapes or indices: never listed as kept in float. */
const SHAPE_OPS = new Set(['Shape', 'Size', 'ConstantOfShape', 'Range', 'NonZero', 'Gather', 'Cast', 'Constant', 'Slice', 'Concat', 'Unsqueeze', 'Squeeze', 'Reshape', 'Equal', 'Where']);

export interface QuantOptions {
  readonly activations: ActivationType;
  readonly perChannel: boolean;
  /** Node names matching any of these stay float. */
  readonly keepFloat: readonly GlobMatcher[];
}

export interface WeightUse {
  readonly node: number;
  readonly input: number;
  /** Channel axis for per-channel weights; undefined: per tensor. */
  readonly axis: number | undefined;
  readonly role: 'weight' | 'bias' | 'constant';
}

export interface KeptFloat {
  readonly node: string;
  readonly op: string;
  readonly reason: string;
}

export interface QuantPlan {
  /** Indices of nodes that run quantized. */
  readonly quantized: ReadonlySet<number>;
  /** Relu/Clip node index -> index of the producer it is fused into (the node disappears). */
  readonly fused: ReadonlyMap<number, number>;
  /** Activation tensors that get a Q/DQ pair, in graph order. */
  readonly tensors: readonly string[];
  /** Tensor -> the tensor whose parameters it shares (pass-through ops). */
  readonly sharedWith: ReadonlyMap<string, string>;
  /** Constant inputs to quantize. */
  readonly weights: readonly WeightUse[];
  readonly keptFloat: readonly KeptFloat[];
}

export function planQuantization(graph: Graph, types: ReadonlyMap<string, TensorInfo>, options: QuantOptions): QuantPlan {
  const initializers = new Set(graph.initializers.map((t) => t.name));
  const initializerDims = new Map(graph.initializers.map((t) => [t.name, t.dims]));
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const graphInputs = new Set(graph.inputs.map((o) => o.name));
  const readers = new Map<string, number[]>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((x) => x && readers.set(x, [...(readers.get(x) ?? []), i])));
  const isFloat = (name: string) => types.get(name)?.dtype === DataType.FLOAT;
  const isFloatConstant = (name: string) => initializers.has(name) && isFloat(name);

  const quantized = new Set<number>();
  const fused = new Map<number, number>();
  const marked: string[] = [];
  const markedSet = new Set<string>();
  const sharedWith = new Map<string, string>();
  const weights: WeightUse[] = [];
  const keptFloat: KeptFloat[] = [];
  const mark = (t: string) => {
    if (markedSet.has(t)) return;
    markedSet.add(t);
    marked.push(t);
  };
  const keep = (i: number, reason: string) => keptFloat.push({ node: nodeLabel(graph.nodes[i]!, i), op: graph.nodes[i]!.opType, reason });

  /** Marks the output of node i, or of the Relu/Clip after it when that can be fused. */
  const markOutput = (i: number) => {
    const out = graph.nodes[i]!.outputs[0]!;
    // A graph output keeps full precision: its producer then runs on dequantized inputs (no
    // fused int8 kernel for that one node), which costs little and gains the 8 bits of the output.
    if (graphOutputs.has(out)) return;
    const uses = readers.get(out) ?? [];
    const next = uses.length === 1 ? graph.nodes[uses[0]!] : undefined;
    if (
      next !== undefined &&
      options.activations === 'uint8' &&
      FUSABLE_ACTIVATIONS.has(next.opType) &&
      next.domain === '' &&
      !graphOutputs.has(out) &&
      !options.keepFloat.some((g) => g.test(next.name)) &&
      (next.opType === 'Relu' || next.inputs.slice(1).every((x) => x === '' || initializers.has(x)))
    ) {
      fused.set(uses[0]!, i);
      mark(next.outputs[0]!);
      return;
    }
    mark(out);
  };

  graph.nodes.forEach((node, i) => {
    if (fused.has(i)) return;
    const floatOut = node.outputs.some((o) => isFloat(o));
    const listIfFloat = (reason: string) => floatOut && !SHAPE_OPS.has(node.opType) && keep(i, reason);
    if (node.domain !== '' && node.domain !== 'ai.onnx') return void listIfFloat(`operator domain ${node.domain}`);
    const known = COMPUTE_OPS.has(node.opType) || ELEMENTWISE_OPS.has(node.opType) || PASS_THROUGH_OPS.has(node.opType);
    if (!known) return void listIfFloat('no int8 form planned for this op');
    if (options.keepFloat.some((g) => g.test(node.name))) return void keep(i, 'keepFloat');
    const data = node.opType === 'Resize' || PASS_THROUGH_OPS.has(node.opType) ? [node.inputs[0]!] : node.inputs.filter((x) => x !== '');
    if (!data.every((x) => isFloat(x))) return void listIfFloat('input is not float32');

    if (COMPUTE_OPS.has(node.opType)) {
      const [x, w, b] = node.inputs;
      if (node.opType === 'Gemm' && (intAttr(node, 'transA', 0) !== 0)) return void keep(i, 'Gemm with transA');
      const weightConst = isFloatConstant(w!);
      if ((node.opType !== 'MatMul') && !weightConst) return void keep(i, 'weights are not constant');
      const wDims = weightConst ? initializerDims.get(w!)! : undefined;
      let axis: number | undefined;
      if (options.perChannel && wDims !== undefined) {
        if (node.opType === 'Conv') axis = 0;
        else if (node.opType === 'ConvTranspose') axis = intAttr(node, 'group', 1) === 1 ? 1 : undefined;
        else if (node.opType === 'Gemm') axis = intAttr(node, 'transB', 0) === 1 ? 0 : 1;
        else if (wDims.length === 2) axis = 1;
      }
      let biasOk = b !== undefined && b !== '' && isFloatConstant(b);
      if (node.opType === 'Gemm') {
        const alpha = node.attributes.find((a) => a.name === 'alpha')?.value;
        const beta = node.attributes.find((a) => a.name === 'beta')?.value;
        const plain = (v: typeof alpha) => v === undefined || (v.type === 'float' && v.value === 1);
        // QGemm's int32 bias is only exact for alpha = beta = 1 and a bias of one value per output column.
        biasOk = biasOk && plain(alpha) && plain(beta) && initializerDims.get(b!)?.length === 1;
        if (b && b !== '' && !biasOk) return void keep(i, 'Gemm bias that is not a plain 1-D constant');
      } else if (b !== undefined && b !== '' && !biasOk) return void keep(i, 'bias is not constant');
      quantized.add(i);
      mark(x!);
      if (weightConst) weights.push({ node: i, input: 1, axis, role: 'weight' });
      else mark(w!);
      if (biasOk) weights.push({ node: i, input: 2, axis: axis === undefined ? undefined : 0, role: 'bias' });
      markOutput(i);
      return;
    }
    if (ELEMENTWISE_OPS.has(node.opType)) {
      const activations = node.inputs.filter((x) => x !== '' && !initializers.has(x));
      // Only inside an int8 region: every activation input already has its Q/DQ.
      if (activations.length === 0 || !activations.every((x) => markedSet.has(x))) return void keep(i, 'inputs come from float ops');
      quantized.add(i);
      node.inputs.forEach((x, k) => initializers.has(x) && weights.push({ node: i, input: k, axis: undefined, role: 'constant' }));
      markOutput(i);
      return;
    }
    // Pass-through ops.
    const x = node.inputs[0]!;
    if (!markedSet.has(x) || initializers.has(x)) return void keep(i, 'input comes from a float op');
    quantized.add(i);
    const out = node.outputs[0]!;
    mark(out);
    sharedWith.set(out, sharedWith.get(x) ?? x);
  });
  // Tensors that only reach graph outputs through pass-through ops (Conv -> Reshape -> output)
  // keep full precision too: no Q/DQ on them, and the pass-through ops stay float.
  const tail = new Set<string>();
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!PASS_THROUGH_OPS.has(node.opType) || !quantized.has(i)) continue;
    const out = node.outputs[0]!;
    if (!graphOutputs.has(out) && !(readers.get(out) ?? []).every((r) => tail.has(graph.nodes[r]!.outputs[0]!) && PASS_THROUGH_OPS.has(graph.nodes[r]!.opType))) continue;
    if ((readers.get(out) ?? []).length === 0 && !graphOutputs.has(out)) continue;
    tail.add(out);
    const x = node.inputs[0]!;
    if ((readers.get(x) ?? []).every((r) => r === i) && !graphInputs.has(x)) tail.add(x);
    quantized.delete(i);
    keep(i, 'feeds a graph output, kept in full precision');
  }
  const tensors = marked.filter((t) => !tail.has(t));
  for (const t of tail) sharedWith.delete(t);
  return { quantized, fused, tensors, sharedWith, weights, keptFloat };
}
