/**
 * Writes a QuantPlan into the graph: int8 weights and int32 biases with their
 * DequantizeLinear nodes, and one QuantizeLinear/DequantizeLinear pair per planned activation
 * tensor. A tensor keeps its name for its dequantized value (its producer writes
 * `<name>_QuantizeInput`), so every reader, graph outputs included, sees the int8 value and
 * tensors match by name between the float and the quantized model.
 */
import { DataType, type Graph, type Node, type Tensor } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import { activationParams, quantizeBias, quantizeConstant, quantizeWeights, type ActivationType, type QuantParams } from './qparams';
import type { QuantPlan } from './plan';
import { pruneInitializers } from './prepare';
import type { TensorRange } from './statistics';
import { freshNames, readFloats, scalarFloat, zeroPoint } from './tensorValues';

export interface ApplyOptions {
  readonly activations: ActivationType;
  readonly signal?: AbortSignal;
}

export async function applyQdq(graph: Graph, plan: QuantPlan, ranges: ReadonlyMap<string, TensorRange>, options: ApplyOptions): Promise<Graph> {
  const fresh = freshNames(graph);
  const initializerByName = new Map(graph.initializers.map((t) => [t.name, t]));
  const newInitializers: Tensor[] = [];
  const head: Node[] = []; // DequantizeLinear of constants, and Q/DQ of graph inputs
  const dq = (input: string, scale: string, zp: string, output: string, axis?: number): Node => ({
    name: `${output}_node`,
    opType: 'DequantizeLinear',
    domain: '',
    inputs: [input, scale, zp],
    outputs: [output],
    attributes: axis === undefined ? [] : [{ name: 'axis', value: { type: 'int', value: BigInt(axis) } }],
  });

  // Activation parameters (pass-through outputs share their source's).
  const params = new Map<string, QuantParams>();
  for (const t of plan.tensors) {
    const source = plan.sharedWith.get(t) ?? t;
    const range = ranges.get(source);
    if (range === undefined) throw new Error(`no calibrated range for tensor ${source}; it was not computed on any calibration sample`);
    params.set(t, params.get(source) ?? activationParams(range, options.activations));
  }
  const paramTensors = new Map<string, { scale: string; zp: string }>();
  const paramNames = (t: string) => {
    let p = paramTensors.get(t);
    if (p === undefined) {
      const q = params.get(t)!;
      p = { scale: fresh(`${t}_scale`), zp: fresh(`${t}_zero_point`) };
      newInitializers.push(scalarFloat(p.scale, q.scale), zeroPoint(p.zp, q.type, [q.zeroPoint], false));
      paramTensors.set(t, p);
    }
    return p;
  };

  // Constants: int8 weights (shared per tensor and axis), int32 biases (per node), activation-typed constants.
  const inputRewrites = new Map<number, Map<number, string>>();
  const rewrite = (node: number, input: number, name: string) => {
    if (!inputRewrites.has(node)) inputRewrites.set(node, new Map());
    inputRewrites.get(node)!.set(input, name);
  };
  const weightScales = new Map<number, Float32Array>();
  const weightCache = new Map<string, { output: string; scales: Float32Array }>();
  for (const use of plan.weights.filter((w) => w.role !== 'bias')) {
    options.signal?.throwIfAborted();
    const node = graph.nodes[use.node]!;
    const tensor = initializerByName.get(node.inputs[use.input]!)!;
    const values = (await readFloats(tensor, options.signal))!;
    if (use.role === 'constant') {
      const q = quantizeConstant(values, options.activations);
      const base = fresh(`${tensor.name}_quantized`);
      const scale = fresh(`${tensor.name}_scale`);
      const zp = fresh(`${tensor.name}_zero_point`);
      const output = fresh(`${tensor.name}_DequantizeLinear_Output`);
      newInitializers.push(makeTensor(base, tensor.dims, q.values), scalarFloat(scale, q.params.scale), zeroPoint(zp, q.params.type, [q.params.zeroPoint], false));
      head.push(dq(base, scale, zp, output));
      rewrite(use.node, use.input, output);
      continue;
    }
    const key = `${tensor.name}\u0000${use.axis ?? ''}`;
    let cached = weightCache.get(key);
    if (cached === undefined) {
      const q = quantizeWeights(values, tensor.dims, use.axis);
      const base = fresh(`${tensor.name}_quantized`);
      const scale = fresh(`${tensor.name}_scale`);
      const zp = fresh(`${tensor.name}_zero_point`);
      const output = fresh(`${tensor.name}_DequantizeLinear_Output`);
      const perAxis = use.axis !== undefined;
      newInitializers.push(
        makeTensor(base, tensor.dims, q.values),
        perAxis ? makeTensor(scale, [q.scales.length], q.scales) : scalarFloat(scale, q.scales[0]!),
        zeroPoint(zp, DataType.INT8, Array.from(q.scales, () => 0), perAxis),
      );
      head.push(dq(base, scale, zp, output, use.axis));
      cached = { output, scales: q.scales };
      weightCache.set(key, cached);
    }
    weightScales.set(use.node, cached.scales);
    rewrite(use.node, use.input, cached.output);
  }
  for (const use of plan.weights.filter((w) => w.role === 'bias')) {
    const node = graph.nodes[use.node]!;
    const tensor = initializerByName.get(node.inputs[use.input]!)!;
    const values = (await readFloats(tensor, options.signal))!;
    const inputParams = params.get(node.inputs[0]!)!;
    const q = quantizeBias(values, inputParams.scale, weightScales.get(use.node)!);
    const base = fresh(`${tensor.name}_quantized`);
    const scale = fresh(`${tensor.name}_scale`);
    const zp = fresh(`${tensor.name}_zero_point`);
    const output = fresh(`${tensor.name}_DequantizeLinear_Output`);
    const perAxis = use.axis !== undefined && q.scales.length > 1;
    newInitializers.push(
      makeTensor(base, tensor.dims, q.values),
      perAxis ? makeTensor(scale, [q.scales.length], q.scales) : scalarFloat(scale, q.scales[0]!),
      zeroPoint(zp, DataType.INT32, Array.from(q.scales, () => 0).slice(0, perAxis ? undefined : 1), perAxis),
    );
    head.push(dq(base, scale, zp, output, perAxis ? 0 : undefined));
    rewrite(use.node, use.input, output);
  }

  // Activations: producers write <t>_QuantizeInput; graph inputs are read through <t>_dequantized.
  const graphInputs = new Set(graph.inputs.map((i) => i.name));
  const producedBy = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producedBy.set(o, i)));
  const qdqPair = (source: string, t: string, output: string): Node[] => {
    const p = paramNames(t);
    const quantizedName = fresh(`${t}_quantized`);
    return [
      { name: fresh(`${t}_QuantizeLinear`), opType: 'QuantizeLinear', domain: '', inputs: [source, p.scale, p.zp], outputs: [quantizedName], attributes: [] },
      { name: fresh(`${t}_DequantizeLinear`), opType: 'DequantizeLinear', domain: '', inputs: [quantizedName, p.scale, p.zp], outputs: [output], attributes: [] },
    ];
  };
  const inputAlias = new Map<string, string>();
  const outputRename = new Map<string, string>(); // tensor -> name its producer now writes
  const after = new Map<number, Node[]>();
  for (const t of plan.tensors) {
    if (graphInputs.has(t)) {
      const alias = fresh(`${t}_dequantized`);
      inputAlias.set(t, alias);
      head.push(...qdqPair(t, t, alias));
      continue;
    }
    let producer = producedBy.get(t);
    if (producer === undefined) throw new Error(`tensor ${t} has no producer`);
    // A fused Relu/Clip's output is written by the node before it.
    const fusedInto = plan.fused.get(producer);
    if (fusedInto !== undefined) producer = fusedInto;
    const written = fresh(`${t}_QuantizeInput`);
    outputRename.set(t, written);
    after.set(producer, [...(after.get(producer) ?? []), ...qdqPair(written, t, t)]);
  }

  const fusedByProducer = new Map([...plan.fused].map(([activation, producer]) => [producer, activation]));
  const nodes: Node[] = [...head];
  graph.nodes.forEach((node, i) => {
    if (plan.fused.has(i)) return;
    const inputs = node.inputs.map((x, k) => inputRewrites.get(i)?.get(k) ?? inputAlias.get(x) ?? x);
    let outputs = [...node.outputs];
    const fusedActivation = fusedByProducer.get(i);
    if (fusedActivation !== undefined) outputs = [graph.nodes[fusedActivation]!.outputs[0]!];
    outputs = outputs.map((o) => outputRename.get(o) ?? o);
    nodes.push({ ...node, inputs, outputs });
    nodes.push(...(after.get(i) ?? []));
  });
  const result: Graph = { ...graph, nodes, initializers: [...graph.initializers, ...newInitializers] };
  return pruneInitializers(result);
}
