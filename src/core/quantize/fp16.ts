/**
 * FP16 conversion: float32 weights and activations become float16, the model's float32 inputs
 * and outputs stay float32 (a Cast at each edge), and ops that are unsafe or inexact in float16
 * stay float32 with Casts around them. The list follows onnxconverter-common's float16
 * converter (its default op block list, Resize's scales input kept float32) and ONNX Runtime's
 * fp16 guidance (keep softmax, normalisation and reductions in float32 for accuracy):
 *
 * - `FP16_KEEP_FLOAT`: ops kept float32, each with the reason;
 * - `FLOAT32_INPUTS`: inputs that the ONNX spec types as float32 whatever the data type;
 * - ops with a `to`/`dtype` attribute or a tensor attribute (Cast, ConstantOfShape, Random*,
 *   EyeLike) stay float32 so that their attribute stays right;
 * - ops of other domains and ops whose tensor types shape inference cannot tell stay float32.
 *
 * ONNX Runtime's CPU provider has no float16 kernel for some ops; it inserts its own Casts
 * around them (InsertCastTransformer), so the result always runs there.
 */
import { DataType, type Graph, type Model, type Node, type Tensor, type ValueInfo } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import { inferShapes } from '../onnx/shape';
import type { Dim } from '../onnx/model';
import { floatToHalf } from '../runtime/tensors';
import { sortedGraph } from './int8';
import type { KeptFloat } from './plan';
import { prepareModel, pruneInitializers } from './prepare';
import { QuantizeInputError } from './request';
import { freshNames, readFloats } from './tensorValues';

/** Ops kept in float32, and why. */
export const FP16_KEEP_FLOAT: ReadonlyMap<string, string> = new Map([
  // onnxconverter-common's DEFAULT_OP_BLOCK_LIST (ops without float16 kernels or exact results).
  ...['Range', 'CumSum', 'TopK', 'NonMaxSuppression', 'RoiAlign', 'Min', 'Max', 'Upsample'].map((op) => [op, 'no exact float16 form (onnxconverter-common block list)'] as const),
  // Accuracy: sums of many terms and exponentials lose too much in a 10-bit mantissa.
  ...['Softmax', 'LogSoftmax'].map((op) => [op, 'exp and sum kept in float32 for accuracy'] as const),
  ...['LayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'ReduceMean', 'ReduceSum', 'ReduceSumSquare', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceProd'].map(
    (op) => [op, 'normalisation or reduction kept in float32 for accuracy'] as const,
  ),
  // A decomposed LayerNorm squares its input (overflows float16 above 256) and takes the root of the variance.
  ...['Pow', 'Sqrt', 'Exp', 'Log'].map((op) => [op, 'squares, roots and exponentials kept in float32 (float16 overflows at 65504)'] as const),
]);

/** Inputs that stay float32 whatever the data type (ONNX types them `tensor(float)`). */
const FLOAT32_INPUTS: ReadonlyMap<string, readonly number[]> = new Map([
  ['Resize', [1, 2]],
  ['Upsample', [1]],
]);

/** Ops that only move shapes or indices: kept float32 without being listed. */
const SILENT_OPS = new Set(['Cast', 'Shape', 'Size', 'ConstantOfShape', 'CastLike']);

/** Largest finite float16. */
const HALF_MAX = 65504;

export interface Fp16Options {
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  readonly signal?: AbortSignal;
}

export interface Fp16Result {
  readonly model: Model;
  /** Nodes that run in float16. */
  readonly nodesConverted: number;
  readonly keptFloat: readonly KeptFloat[];
  readonly notes: readonly string[];
}

const isFloat32 = (t: Tensor) => t.dataType === DataType.FLOAT;

function checkConvertible(graph: Graph, path: string): void {
  const floats = graph.initializers.filter(isFloat32).length;
  const halves = graph.initializers.filter((t) => t.dataType === DataType.FLOAT16).length;
  const floatInputs = graph.inputs.filter((i) => i.type?.kind === 'tensor' && i.type.elemType === DataType.FLOAT).length;
  if (floats === 0 && halves > 0) throw new QuantizeInputError(`${path} is already fp16 (${halves} float16 weights, no float32 ones); it has nothing to convert`);
  if (floats === 0 && floatInputs === 0) throw new QuantizeInputError(`${path} has no float32 weights or inputs; fp16 conversion applies to float32 models`);
  const control = graph.nodes.find((n) => n.attributes.some((a) => a.value.type === 'graph' || a.value.type === 'graphs'));
  if (control !== undefined) throw new QuantizeInputError(`${path}: node ${control.name || control.opType} (${control.opType}) holds a subgraph; fp16 conversion handles models without If/Loop/Scan only: use int8 or keep the model fp32`);
}

/** Float32 values as float16 bits, clamped to the float16 range; returns how many were clamped. */
function toHalf(values: Float32Array): { bits: Uint16Array; clamped: number } {
  const bits = new Uint16Array(values.length);
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const inRange = Math.min(HALF_MAX, Math.max(-HALF_MAX, v));
    if (inRange !== v) clamped++;
    bits[i] = floatToHalf(inRange);
  }
  return { bits, clamped };
}

function nodeReasonForFloat32(node: Node, dtypeKnown: boolean): string | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return `op of domain ${node.domain} kept in float32`;
  const listed = FP16_KEEP_FLOAT.get(node.opType);
  if (listed !== undefined) return listed;
  if (SILENT_OPS.has(node.opType)) return '';
  if (node.attributes.some((a) => a.name === 'to' || a.name === 'dtype' || a.value.type === 'tensor')) return 'its type attribute names float32';
  if (!dtypeKnown) return 'tensor types unknown to shape inference';
  return undefined;
}

export async function convertFp16(model: Model, path: string, options: Fp16Options = {}): Promise<Fp16Result> {
  const { signal } = options;
  checkConvertible(model.graph, path);
  const prepared = await prepareModel(model, signal);
  const graph = sortedGraph(prepared.model.graph);
  const notes = [...prepared.notes];
  const shapes = await inferShapes({ ...prepared.model, graph }, { ...(signal ? { signal } : {}), ...(options.inputShapes ? { inputShapes: options.inputShapes } : {}) });
  const dtypeOf = (name: string) => shapes.tensors.get(name)?.dtype;
  const initializerByName = new Map(graph.initializers.map((t) => [t.name, t]));
  const isFloatTensor = (name: string) => name !== '' && (initializerByName.get(name)?.dataType ?? dtypeOf(name)) === DataType.FLOAT;

  // Which nodes run in float16.
  const half = new Set<number>();
  const keptFloat: KeptFloat[] = [];
  graph.nodes.forEach((node, i) => {
    const io = [...node.inputs, ...node.outputs].filter((x) => x !== '');
    if (!io.some(isFloatTensor)) return; // integer and boolean work is left alone
    const known = io.every((x) => initializerByName.has(x) || dtypeOf(x) !== undefined);
    const reason = nodeReasonForFloat32(node, known);
    if (reason === undefined) half.add(i);
    else if (reason !== '') keptFloat.push({ node: node.name || `${node.opType}#${i}`, op: node.opType, reason });
  });

  const fresh = freshNames(graph);

  // Where each float tensor wants float16: the inputs of float16 nodes that are not float32 by spec.
  const wantsHalf = (node: number, input: number) => half.has(node) && !(FLOAT32_INPUTS.get(graph.nodes[node]!.opType) ?? []).includes(input);
  const consumers = new Map<string, Array<{ node: number; input: number }>>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((x, k) => x !== '' && consumers.set(x, [...(consumers.get(x) ?? []), { node: i, input: k }])));

  // Initializers: converted in place when every reader wants float16, otherwise a float16 copy beside the float32 one.
  const initializers: Tensor[] = [];
  const halfName = new Map<string, string>(); // float tensor -> its float16 name
  let clampedTotal = 0;
  for (const t of graph.initializers) {
    signal?.throwIfAborted();
    const uses = consumers.get(t.name) ?? [];
    const halfUses = uses.filter((u) => wantsHalf(u.node, u.input)).length;
    if (!isFloat32(t) || halfUses === 0) {
      initializers.push(t);
      continue;
    }
    const { bits, clamped } = toHalf((await readFloats(t, signal))!);
    clampedTotal += clamped;
    const name = halfUses === uses.length && !graph.outputs.some((o) => o.name === t.name) ? t.name : fresh(`${t.name}_fp16`);
    if (name !== t.name) initializers.push(t);
    initializers.push(makeTensor(name, t.dims, { dataType: DataType.FLOAT16, bytes: new Uint8Array(bits.buffer) }));
    halfName.set(t.name, name);
  }
  if (clampedTotal > 0) notes.push(`${clampedTotal} weights beyond the float16 range were clamped to ±${HALF_MAX}`);

  // Activations produced in float16 keep their name; a graph output produced in float16 is renamed and cast back under its own name.
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const producedHalf = new Set<string>();
  const outputRename = new Map<string, string>();
  graph.nodes.forEach((n, i) => {
    if (!half.has(i)) return;
    for (const o of n.outputs) {
      if (!isFloatTensor(o)) continue;
      producedHalf.add(o);
      const name = graphOutputs.has(o) ? fresh(`${o}_fp16`) : o;
      halfName.set(o, name);
      if (name !== o) outputRename.set(o, name);
    }
  });
  const floatName = new Map<string, string>(); // float16-produced tensor -> its float32 cast
  const nodes: Node[] = [];
  const cast = (input: string, output: string, to: DataType): Node => ({
    name: `${output}_Cast`,
    opType: 'Cast',
    domain: '',
    inputs: [input],
    outputs: [output],
    attributes: [{ name: 'to', value: { type: 'int', value: BigInt(to) } }],
  });
  const asHalf = (x: string): string => {
    const known = halfName.get(x);
    if (known !== undefined) return known;
    const name = fresh(`${x}_fp16`);
    nodes.push(cast(x, name, DataType.FLOAT16));
    halfName.set(x, name);
    return name;
  };
  const asFloat = (x: string): string => {
    if (!producedHalf.has(x)) return x;
    if (outputRename.has(x)) return x; // the graph output's own name is the float32 cast
    let name = floatName.get(x);
    if (name === undefined) {
      name = fresh(`${x}_fp32`);
      nodes.push(cast(x, name, DataType.FLOAT));
      floatName.set(x, name);
    }
    return name;
  };
  graph.nodes.forEach((n, i) => {
    signal?.throwIfAborted();
    const inputs = n.inputs.map((x, k) => {
      if (!isFloatTensor(x)) return x;
      return wantsHalf(i, k) ? asHalf(x) : asFloat(x);
    });
    const outputs = half.has(i) ? n.outputs.map((o) => outputRename.get(o) ?? o) : n.outputs;
    nodes.push({ ...n, inputs, outputs });
    for (const o of n.outputs) {
      const renamed = half.has(i) ? outputRename.get(o) : undefined;
      if (renamed !== undefined) nodes.push(cast(renamed, o, DataType.FLOAT));
    }
  });

  const retype = (v: ValueInfo): ValueInfo => (producedHalf.has(v.name) && v.type?.kind === 'tensor' ? { ...v, type: { ...v.type, elemType: DataType.FLOAT16 } } : v);
  const converted: Graph = pruneInitializers({ ...graph, nodes, initializers, valueInfo: graph.valueInfo.filter((v) => !graphOutputs.has(v.name)).map(retype) });
  if (half.size === 0) throw new QuantizeInputError(`${path}: no op of the model can run in float16 (${keptFloat.length} kept float32 by the fp16 list); fp16 would change nothing`);
  return { model: { ...prepared.model, graph: converted }, nodesConverted: half.size, keptFloat, notes };
}
