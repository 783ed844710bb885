/**
 * Which tensor of the quantized model stands for each float tensor of the fp32 model.
 * Quantizers keep most names: a QDQ model keeps the float tensor `t` and adds
 * `Q(t) -> DQ`, whose output is what the next layer sees; a dynamically quantized model keeps
 * `t` as the output of its rescaling Mul; a QOperator model replaces `Conv` by `QLinearConv`
 * (node `<name>_quant`) whose integer output only becomes float in a later DequantizeLinear.
 * So, for each float tensor `t` produced by node N (output k) of the fp32 graph:
 * 1. a tensor named `t` in the quantized graph, else output k of the node named N (or
 *    `N_quant`) with the same number of outputs;
 * 2. if that tensor is float and feeds QuantizeLinear -> DequantizeLinear, the DQ output
 *    (the value after activation quantization);
 * 3. if it is an integer and feeds a DequantizeLinear, that output; else if its producer has a
 *    per-tensor scale and zero point (QuantizeLinear, QLinear*), it is dequantized here.
 */
import { DataType, type Graph, type Model, type Node } from '../onnx/model';
import { graphMaps, topologicalOrder, type GraphMaps } from '../onnx/graph';
import type { ShapeInferenceResult } from '../onnx/shape';
import { elementDecoder } from '../onnx/tensorElements';

export type MatchRule = 'name' | 'producer';

/** `real = (q - zeroPoint) * scale`, for integer tensors read out of the quantized model. */
export interface Dequantize {
  readonly scale: number;
  readonly zeroPoint: number;
}

export interface TensorPair {
  /** The fp32 tensor. */
  readonly name: string;
  /** Its producer in the fp32 graph. */
  readonly node: string;
  readonly op: string;
  /** Position of the producer in the fp32 graph's topological order. */
  readonly order: number;
  /** The tensor fetched from the quantized model. */
  readonly quantTensor: string;
  readonly quantOp: string;
  readonly rule: MatchRule;
  /** Set when the quantized tensor is an integer dequantized here. */
  readonly dequantize?: Dequantize;
}

export interface Unmatched {
  readonly name: string;
  readonly node: string;
  readonly op: string;
  readonly reason: string;
}

export interface TensorMatch {
  readonly pairs: readonly TensorPair[];
  readonly unmatched: readonly Unmatched[];
}

const floatTypes = new Set<DataType | undefined>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE]);

/** Input positions of the output scale and zero point, for ops whose output is quantized per tensor. */
const outputQuantParams: Readonly<Record<string, readonly [number, number]>> = {
  QuantizeLinear: [1, 2],
  QLinearConv: [6, 7],
  QLinearMatMul: [6, 7],
  QLinearAdd: [6, 7],
  QLinearMul: [6, 7],
  QLinearConcat: [0, 1],
  QLinearSigmoid: [3, 4],
  QLinearLeakyRelu: [3, 4],
  QLinearAveragePool: [3, 4],
  QLinearGlobalAveragePool: [3, 4],
  QLinearSoftmax: [3, 4],
};

interface GraphView {
  readonly graph: Graph;
  readonly maps: GraphMaps;
  readonly shapes: ShapeInferenceResult;
  readonly nodesByName: ReadonlyMap<string, Node>;
}

function view(model: Model, shapes: ShapeInferenceResult): GraphView {
  const nodesByName = new Map<string, Node>();
  for (const n of model.graph.nodes) if (n.name !== '' && !nodesByName.has(n.name)) nodesByName.set(n.name, n);
  return { graph: model.graph, maps: graphMaps(model.graph), shapes, nodesByName };
}

export async function matchTensors(fp32: Model, fp32Shapes: ShapeInferenceResult, quant: Model, quantShapes: ShapeInferenceResult): Promise<TensorMatch> {
  const a = view(fp32, fp32Shapes);
  const q = view(quant, quantShapes);
  const pairs: TensorPair[] = [];
  const unmatched: Unmatched[] = [];
  const order = safeOrder(fp32.graph);
  const constants = constantTensors(fp32.graph, a.maps);
  for (const [position, index] of order.entries()) {
    const node = fp32.graph.nodes[index] as Node;
    for (const [k, name] of node.outputs.entries()) {
      if (name === '' || constants.has(name) || !floatTypes.has(a.shapes.tensors.get(name)?.dtype)) continue;
      const base = { name, node: node.name, op: node.opType, order: position };
      const found = candidate(q, name, node, k);
      if (!found) {
        unmatched.push({ ...base, reason: 'no tensor of that name, and no node of the same name in the quantized model' });
        continue;
      }
      const resolved = await resolveFloat(q, found.tensor);
      if ('reason' in resolved) {
        unmatched.push({ ...base, reason: resolved.reason });
        continue;
      }
      const producer = q.maps.producers.get(resolved.tensor);
      const quantOp = producer ? (quant.graph.nodes[producer.node]?.opType ?? '') : '';
      const folded = found.rule === 'producer' ? foldedInto(fp32.graph, a.maps, name) : undefined;
      if (folded) {
        // The quantizer folds BatchNormalization into the Conv before it and quantizes a Conv
        // with the range of the Relu/Clip after it: the quantized tensor holds the values of the
        // node after, so the comparison belongs at that node's output.
        unmatched.push({ ...base, reason: `folded with ${folded.name || folded.opType} (${folded.opType}) after it in the quantized model: compared at that output` });
        continue;
      }
      pairs.push({ ...base, quantTensor: resolved.tensor, quantOp, rule: found.rule, ...(resolved.dequantize ? { dequantize: resolved.dequantize } : {}) });
    }
  }
  return { pairs, unmatched };
}

const foldedOps = new Set(['BatchNormalization', 'Relu', 'Clip']);

/** The BatchNormalization, Relu or Clip that is the only reader of `tensor`, if any. */
function foldedInto(graph: Graph, maps: GraphMaps, tensor: string): Node | undefined {
  const uses = maps.consumers.get(tensor) ?? [];
  if (uses.length !== 1 || graph.outputs.some((o) => o.name === tensor)) return undefined;
  const reader = graph.nodes[uses[0]!.node];
  return reader && foldedOps.has(reader.opType) ? reader : undefined;
}

function safeOrder(graph: Graph): readonly number[] {
  try {
    return topologicalOrder(graph);
  } catch {
    return graph.nodes.map((_, i) => i);
  }
}

/** Tensors computed from constants only (weights behind Constant, Cast, DequantizeLinear, ...): not activations. */
function constantTensors(graph: Graph, maps: GraphMaps): Set<string> {
  const constant = new Set<string>(maps.initializers);
  for (const index of safeOrder(graph)) {
    const n = graph.nodes[index] as Node;
    const inputs = n.inputs.filter((i) => i !== '');
    if (n.opType === 'Constant' || (inputs.length > 0 && inputs.every((i) => constant.has(i)))) for (const o of n.outputs) constant.add(o);
  }
  return constant;
}

function candidate(q: GraphView, name: string, node: Node, k: number): { tensor: string; rule: MatchRule } | undefined {
  if (q.maps.producers.has(name)) return { tensor: name, rule: 'name' };
  if (node.name === '') return undefined;
  for (const alias of [node.name, `${node.name}_quant`]) {
    const other = q.nodesByName.get(alias);
    const out = other?.outputs[k];
    if (other && out && other.outputs.length === node.outputs.length) return { tensor: out, rule: 'producer' };
  }
  return undefined;
}

async function resolveFloat(q: GraphView, tensor: string): Promise<{ tensor: string; dequantize?: Dequantize } | { reason: string }> {
  const dtype = q.shapes.tensors.get(tensor)?.dtype;
  if (floatTypes.has(dtype)) {
    const quantized = consumerOf(q, tensor, 'QuantizeLinear');
    const dq = quantized ? consumerOf(q, quantized.outputs[0] ?? '', 'DequantizeLinear') : undefined;
    return { tensor: dq?.outputs[0] ?? tensor };
  }
  const dq = consumerOf(q, tensor, 'DequantizeLinear');
  if (dq?.outputs[0]) return { tensor: dq.outputs[0] };
  const producer = q.maps.producers.get(tensor);
  const node = producer ? q.graph.nodes[producer.node] : undefined;
  const positions = node ? outputQuantParams[node.opType] : undefined;
  if (!node || !positions) return { reason: `its counterpart ${tensor} is ${dtype === undefined ? 'of unknown type' : 'not float'} and has no scale to dequantize it` };
  const scale = await scalarOf(q.graph, node.inputs[positions[0]]);
  const zeroPoint = node.inputs[positions[1]] ? await scalarOf(q.graph, node.inputs[positions[1]]) : 0;
  if (scale === undefined || zeroPoint === undefined) return { reason: `its counterpart ${tensor} (${node.opType}) is not quantized per tensor with constant scale and zero point` };
  return { tensor, dequantize: { scale, zeroPoint } };
}

function consumerOf(q: GraphView, tensor: string, opType: string): Node | undefined {
  for (const use of q.maps.consumers.get(tensor) ?? []) {
    const n = q.graph.nodes[use.node];
    if (n?.opType === opType && use.input === 0) return n;
  }
  return undefined;
}

async function scalarOf(graph: Graph, name: string | undefined): Promise<number | undefined> {
  if (!name) return undefined;
  const init = graph.initializers.find((t) => t.name === name);
  if (!init || init.dims.reduce((a, b) => a * b, 1) !== 1) return undefined;
  const decode = elementDecoder(init.dataType, await init.data.read());
  return decode?.(0);
}
