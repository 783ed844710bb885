/**
 * Compute and memory cost per node, from inferred shapes.
 *
 * Conventions (the same for every model, so figures compare across models and targets):
 * - MACs: multiply-accumulates of the dense kernels only: Conv/ConvTranspose (and their
 *   integer, QLinear and fused forms), MatMul/Gemm (and integer, QLinear, NBits, fused forms),
 *   Einsum contractions, LSTM/GRU/RNN gate matmuls, com.microsoft attention matmuls.
 * - FLOPs = 2 x MACs for those kernels (one multiply plus one add; bias adds not counted).
 * - Every other arithmetic op: 1 FLOP per output element (elementwise, activations, including
 *   transcendental ones, Quantize/Dequantize), with these exceptions: Softmax/LogSoftmax 3 per
 *   element (exp, sum, divide); BatchNormalization 2 (folded scale and shift); LayerNorm,
 *   InstanceNorm, GroupNorm and com.microsoft (Skip)LayerNorm 5 (mean, variance, normalise,
 *   scale, shift); reductions, ArgMax/ArgMin, TopK and global pools 1 per input element;
 *   windowed pools 1 per output element per kernel element; variadic Sum/Mean/Max/Min one per
 *   output element per extra input.
 * - Data movement (Reshape, Transpose, Gather, Slice, Concat, Pad, Cast, ...) costs 0 FLOPs.
 * - A call of a model-local function costs what its body costs.
 * - Nodes inside If/Loop/Scan bodies are counted once (trip counts are not known statically);
 *   the control-flow node itself costs 0.
 * - Ops without a rule, or whose shapes are unknown, have unknown FLOPs: never estimated.
 * - Parameters are elements of weight inputs: initializers and outputs of Constant nodes.
 * - Bytes use storage width: int4/uint4/float4 half a byte, float8 one byte.
 * - Arithmetic intensity = FLOPs / (weight bytes + activation bytes in + activation bytes out).
 */
import type { Dim, Graph, Model, Node } from '../model';
import { numel } from '../shape/dims';
import { byteSize, dtypeName } from '../shape/dtypes';
import type { ShapeInferenceResult, TensorInfo } from '../shape/types';
import { nodeLabel, nodeSubgraphs } from '../graph/subgraphs';
import { calledFunction, callPrefix, functionTable, instantiateFunction, type FunctionTable } from '../shape/functions';
import { forEachNode, topologicalWalk } from '../graph/topo';
import { ownValue } from '../../safeRecord';
import { intAttr, intsAttr, strAttr } from '../nodeAttributes';

export interface NodeCost {
  readonly macs: number | undefined;
  readonly flops: number | undefined;
  /** Elements of the node's weight inputs (initializers, Constant outputs). */
  readonly params: number;
  readonly weightBytes: number | undefined;
  readonly activationBytesIn: number | undefined;
  readonly activationBytesOut: number | undefined;
  /** FLOPs per byte moved; undefined when either side is unknown. */
  readonly intensity: number | undefined;
}

export interface NodeCostEntry {
  readonly node: Node;
  /** Index of the node in its own graph. */
  readonly index: number;
  /** '' for the main graph. */
  readonly graphPath: string;
  readonly cost: NodeCost;
}

export interface ModelCostTotals {
  /** Sum over nodes whose MACs are known. */
  readonly macs: number;
  /** Sum over nodes whose FLOPs are known. */
  readonly flops: number;
  /** Nodes whose FLOPs are unknown (missing shapes or no rule): the sums above are then lower bounds. */
  readonly unknownCostNodes: number;
  /** Initializer elements, in every graph (subgraphs included). */
  readonly initializerParams: number;
  /** Elements of Constant-node tensors (`value`, `sparse_value`): Paddle and some exporters keep weights there. */
  readonly constantParams: number;
  /** initializerParams + constantParams. */
  readonly params: number;
  /** Storage bytes of initializers and Constant-node tensors. */
  readonly weightBytes: number;
  readonly weightBytesByDtype: Readonly<Record<string, number>>;
}

export interface ModelCost {
  /** Every node (subgraphs included) in execution order. */
  readonly nodes: readonly NodeCostEntry[];
  readonly totals: ModelCostTotals;
}

type Shape = readonly Dim[] | undefined;

const mul = (...xs: Array<number | undefined>): number | undefined => (xs.some((x) => x === undefined) ? undefined : (xs as number[]).reduce((a, b) => a * b, 1));

function lastDim(shape: Shape): number | undefined {
  const d = shape?.[shape.length - 1];
  return typeof d === 'number' ? d : undefined;
}

function dimAt(shape: Shape, i: number): number | undefined {
  const d = shape?.[i];
  return typeof d === 'number' ? d : undefined;
}

interface Io {
  readonly node: Node;
  in(i: number): Shape;
  out(i: number): Shape;
}

class NodeIo implements Io {
  constructor(
    readonly node: Node,
    private readonly shapes: ShapeInferenceResult,
  ) {}

  in(i: number): Shape {
    const name = this.node.inputs[i];
    return name ? this.shapes.tensors.get(name)?.shape : undefined;
  }

  out(i: number): Shape {
    const name = this.node.outputs[i];
    return name ? this.shapes.tensors.get(name)?.shape : undefined;
  }
}

/** MACs of the dense kernels; undefined for other ops. `null` when the op has MACs but shapes are unknown. */
function macsOf(io: Io): number | undefined | null {
  const { node } = io;
  const y = numel(io.out(0));
  const known = (x: number | undefined) => (x === undefined ? null : x);
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger':
    case 'FusedConv':
    case 'NhwcConv': {
      const w = io.in(1);
      return known(mul(y, numel(w?.slice(1))));
    }
    case 'QLinearConv':
      return known(mul(y, numel(io.in(3)?.slice(1))));
    case 'ConvTranspose':
      return known(mul(numel(io.in(0)), numel(io.in(1)?.slice(1))));
    case 'MatMul':
    case 'MatMulInteger':
    case 'MatMulIntegerToFloat':
    case 'DynamicQuantizeMatMul':
      return known(mul(y, lastDim(io.in(0))));
    case 'FusedMatMul': {
      const a = io.in(0);
      const k = intAttr(node, 'transA', 0) === 1 ? dimAt(a, (a?.length ?? 0) - 2) : lastDim(a);
      return known(mul(y, k));
    }
    case 'QLinearMatMul':
      return known(mul(y, lastDim(io.in(0))));
    case 'MatMulNBits':
      return known(mul(y, intAttr(node, 'K', -1) > 0 ? intAttr(node, 'K', -1) : undefined));
    case 'Gemm':
    case 'FusedGemm':
    case 'QGemm': {
      const a = io.in(0);
      return known(mul(y, dimAt(a, intAttr(node, 'transA', 0) === 1 ? 0 : 1)));
    }
    case 'Einsum':
      return known(einsumMacs(node, io));
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
      const x = io.in(0);
      const layout = intAttr(node, 'layout', 0);
      const seq = dimAt(x, layout === 0 ? 0 : 1);
      const batch = dimAt(x, layout === 0 ? 1 : 0);
      const input = dimAt(x, 2);
      const dirs = strAttr(node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
      const w = io.in(1);
      const rows = dimAt(w, 1);
      const hidden = intAttr(node, 'hidden_size', -1) > 0 ? intAttr(node, 'hidden_size', -1) : rows === undefined ? undefined : rows / gates;
      return known(mul(seq, batch, dirs, gates, hidden, input === undefined || hidden === undefined ? undefined : input + hidden));
    }
    case 'Attention': {
      const x = io.in(0);
      const [b, s, inHidden] = [dimAt(x, 0), dimAt(x, 1), dimAt(x, 2)];
      const qkv = dimAt(io.in(1), 1);
      const h = qkv === undefined ? undefined : qkv / 3;
      const projection = mul(b, s, inHidden, qkv);
      const scores = mul(2, b, s, s, h);
      return known(projection === undefined || scores === undefined ? undefined : projection + scores);
    }
    case 'MultiHeadAttention': {
      const q = io.in(0);
      const k = io.in(1);
      return known(mul(2, dimAt(q, 0), dimAt(q, 1), k?.length === 3 ? dimAt(k, 1) : undefined, dimAt(q, 2)));
    }
    default:
      return undefined;
  }
}

function einsumMacs(node: Node, io: Io): number | undefined {
  const eq = strAttr(node, 'equation', '').replace(/\s+/g, '');
  const terms = (eq.split('->')[0] ?? '').split(',');
  if (terms.length < 2 || eq.includes('...')) return terms.length < 2 ? 0 : undefined;
  const sizes = new Map<string, number>();
  for (let t = 0; t < terms.length; t++) {
    const shape = io.in(t);
    const term = terms[t] ?? '';
    if (!shape || shape.length !== term.length) return undefined;
    for (let i = 0; i < term.length; i++) {
      const d = shape[i];
      if (typeof d !== 'number') return undefined;
      sizes.set(term[i] ?? '', Math.max(sizes.get(term[i] ?? '') ?? 1, d));
    }
  }
  return [...sizes.values()].reduce((a, b) => a * b, 1) * (terms.length - 1);
}

const zeroFlopOps = new Set([
  'Reshape', 'Transpose', 'Gather', 'GatherElements', 'GatherND', 'Slice', 'Concat', 'Split', 'Squeeze', 'Unsqueeze', 'Flatten',
  'Expand', 'Tile', 'Pad', 'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Identity', 'Cast', 'CastLike', 'Dropout', 'Range',
  'DepthToSpace', 'SpaceToDepth', 'ScatterND', 'ScatterElements', 'Scatter', 'OneHot', 'NonZero', 'If', 'Loop', 'Scan',
  'SequenceConstruct', 'SequenceAt', 'SequenceEmpty', 'SequenceInsert', 'SequenceErase', 'SequenceLength', 'SplitToSequence',
  'ConcatFromSequence', 'Optional', 'OptionalGetElement', 'OptionalHasElement', 'EyeLike', 'Trilu', 'ReverseSequence', 'Compress', 'Unique',
]);

const perOutputElement = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Neg', 'Abs', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Sqrt', 'Exp', 'Log',
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign', 'Erf',
  'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'BiasAdd', 'Mish', 'Clip', 'Where', 'Equal', 'Less', 'Greater', 'LessOrEqual',
  'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh',
  'IsNaN', 'IsInf', 'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'Shrink', 'ThresholdedRelu', 'BitShift',
  'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'BitwiseNot', 'Resize', 'Upsample', 'CumSum', 'QLinearAdd', 'QLinearMul', 'QLinearSigmoid',
  'QLinearLeakyRelu', 'RotaryEmbedding', 'Swish', 'LpNormalization', 'MeanVarianceNormalization', 'LRN', 'Hardmax',
]);

const perInputElement = new Set([
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp',
  'ReduceSumSquare', 'ArgMax', 'ArgMin', 'TopK', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool', 'QLinearGlobalAveragePool',
]);

const normalisations: Readonly<Record<string, number>> = {
  Softmax: 3,
  LogSoftmax: 3,
  QLinearSoftmax: 3,
  BiasSoftmax: 3,
  BatchNormalization: 2,
  LayerNormalization: 5,
  InstanceNormalization: 5,
  GroupNormalization: 5,
  SkipLayerNormalization: 5,
  SkipSimplifiedLayerNormalization: 5,
  SimplifiedLayerNormalization: 5,
};

function flopsOf(io: Io, macs: number | undefined | null): number | undefined {
  if (macs === null) return undefined;
  if (macs !== undefined) return 2 * macs;
  const { node } = io;
  const op = node.opType;
  if (zeroFlopOps.has(op)) return 0;
  if (perOutputElement.has(op)) return numel(io.out(0));
  if (perInputElement.has(op)) return numel(io.in(0));
  const factor = ownValue(normalisations, op);
  if (factor !== undefined) return mul(factor, numel(io.out(0)));
  if (op === 'MaxPool' || op === 'AveragePool' || op === 'LpPool') return mul(numel(io.out(0)), numel(intsAttr(node, 'kernel_shape')));
  if (op === 'Sum' || op === 'Mean' || op === 'Max' || op === 'Min') {
    const n = node.inputs.filter((i) => i !== '').length;
    return mul(numel(io.out(0)), Math.max(1, n - 1));
  }
  return undefined;
}

/** Names of weight tensors: initializers (all graphs) and Constant-node outputs. */
function weightNames(graph: Graph, into: Set<string>): void {
  for (const t of graph.initializers) into.add(t.name);
  for (const s of graph.sparseInitializers) into.add(s.values.name);
  for (const n of graph.nodes) {
    if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx')) for (const o of n.outputs) if (o) into.add(o);
    for (const { graph: g } of nodeSubgraphs(n)) weightNames(g, into);
  }
}

function bytesOf(info: TensorInfo | undefined): number | undefined {
  const n = numel(info?.shape);
  return n === undefined || info?.container ? undefined : byteSize(info?.dtype, n);
}


/** Cost of one node given the model's inferred shapes and its weight names. */
export function nodeCost(node: Node, shapes: ShapeInferenceResult, weights: ReadonlySet<string>): NodeCost {
  const io = new NodeIo(node, shapes);
  const macsRaw = macsOf(io);
  const flops = flopsOf(io, macsRaw);
  const macs = macsRaw === null ? undefined : macsRaw ?? (flops === undefined ? undefined : 0);
  let params = 0;
  let weightBytes: number | undefined = 0;
  let activationBytesIn: number | undefined = 0;
  let activationBytesOut: number | undefined = 0;
  for (const name of node.inputs) {
    if (name === '') continue;
    const info = shapes.tensors.get(name);
    const b = bytesOf(info);
    if (weights.has(name)) {
      params += numel(info?.shape) ?? 0;
      weightBytes = b === undefined || weightBytes === undefined ? undefined : weightBytes + b;
    } else activationBytesIn = b === undefined || activationBytesIn === undefined ? undefined : activationBytesIn + b;
  }
  for (const name of node.outputs) {
    if (name === '') continue;
    const b = bytesOf(shapes.tensors.get(name));
    activationBytesOut = b === undefined || activationBytesOut === undefined ? undefined : activationBytesOut + b;
  }
  const moved = weightBytes === undefined || activationBytesIn === undefined || activationBytesOut === undefined ? undefined : weightBytes + activationBytesIn + activationBytesOut;
  const intensity = flops !== undefined && moved !== undefined && moved > 0 ? flops / moved : undefined;
  return { macs, flops, params, weightBytes, activationBytesIn, activationBytesOut, intensity };
}

/** Per-node costs in execution order and model totals. */
export function modelCost(model: Model, shapes: ShapeInferenceResult): ModelCost {
  const weights = new Set<string>();
  weightNames(model.graph, weights);
  const functions = functionTable(model);
  const nodes: NodeCostEntry[] = [];
  let macs = 0;
  let flops = 0;
  let unknownCostNodes = 0;
  for (const entry of topologicalWalk(model.graph, { strict: false })) {
    const cost = callOrNodeCost(entry.node, entry.index, entry.graphPath, shapes, weights, functions, 0);
    nodes.push({ node: entry.node, index: entry.index, graphPath: entry.graphPath, cost });
    if (cost.macs !== undefined) macs += cost.macs;
    if (cost.flops !== undefined) flops += cost.flops;
    else unknownCostNodes++;
  }
  return { nodes, totals: { macs, flops, unknownCostNodes, ...weightTotals(model.graph) } };
}

/** The totals of modelCost without the per-node list (what `aios inspect` needs, at a fraction of the memory). */
export function modelCostTotals(model: Model, shapes: ShapeInferenceResult): ModelCostTotals {
  const weights = new Set<string>();
  weightNames(model.graph, weights);
  const functions = functionTable(model);
  let macs = 0;
  let flops = 0;
  let unknownCostNodes = 0;
  forEachNode(model.graph, (node, index, graphPath) => {
    const cost = callOrNodeCost(node, index, graphPath, shapes, weights, functions, 0);
    if (cost.macs !== undefined) macs += cost.macs;
    if (cost.flops !== undefined) flops += cost.flops;
    else unknownCostNodes++;
  });
  return { macs, flops, unknownCostNodes, ...weightTotals(model.graph) };
}

/** A call of a model-local function costs what its body costs (same naming as shape inference). */
function callOrNodeCost(node: Node, index: number, path: string, shapes: ShapeInferenceResult, weights: Set<string>, functions: FunctionTable, depth: number): NodeCost {
  const fn = depth < 16 ? calledFunction(functions, node) : undefined;
  const own = nodeCost(node, shapes, weights);
  if (!fn) return own;
  const prefix = callPrefix(path, nodeLabel(node, index));
  const body = instantiateFunction(node, fn, prefix);
  for (const n of body) if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx')) for (const o of n.outputs) if (o) weights.add(o);
  let macs: number | undefined = 0;
  let flops: number | undefined = 0;
  body.forEach((n, i) => {
    const c = callOrNodeCost(n, i, prefix, shapes, weights, functions, depth + 1);
    macs = macs === undefined || c.macs === undefined ? undefined : macs + c.macs;
    flops = flops === undefined || c.flops === undefined ? undefined : flops + c.flops;
  });
  const moved = own.weightBytes === undefined || own.activationBytesIn === undefined || own.activationBytesOut === undefined ? undefined : own.weightBytes + own.activationBytesIn + own.activationBytesOut;
  const f = flops as number | undefined;
  return { ...own, macs, flops: f, intensity: f !== undefined && moved !== undefined && moved > 0 ? f / moved : undefined };
}

/** Parameter and weight-byte totals over every graph (no shapes needed). */
export function weightTotals(root: Graph): Omit<ModelCostTotals, 'macs' | 'flops' | 'unknownCostNodes'> {
  let initializerParams = 0;
  let constantParams = 0;
  let weightBytes = 0;
  const byDtype: Record<string, number> = {};
  const add = (dtype: Parameters<typeof byteSize>[0], dims: readonly number[], storedBytes: number | undefined) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const bytes = byteSize(dtype, n) ?? storedBytes ?? 0;
    weightBytes += bytes;
    const key = dtypeName(dtype);
    byDtype[key] = (byDtype[key] ?? 0) + bytes;
    return n;
  };
  const visit = (g: Graph) => {
    for (const t of g.initializers) initializerParams += add(t.dataType, t.dims, t.data.byteLength);
    for (const s of g.sparseInitializers) initializerParams += add(s.values.dataType, s.values.dims, s.values.data.byteLength);
    for (const n of g.nodes) {
      if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx')) {
        for (const attr of n.attributes) {
          if (attr.value.type === 'tensor') constantParams += add(attr.value.value.dataType, attr.value.value.dims, attr.value.value.data.byteLength);
          else if (attr.value.type === 'sparseTensor') constantParams += add(attr.value.value.values.dataType, attr.value.value.values.dims, attr.value.value.values.data.byteLength);
        }
      }
      for (const { graph } of nodeSubgraphs(n)) visit(graph);
    }
  };
  visit(root);
  return { initializerParams, constantParams, params: initializerParams + constantParams, weightBytes, weightBytesByDtype: byDtype };
}
