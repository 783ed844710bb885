/**
 * Graph preparation before quantization (pure transforms of the main graph):
 * - weights held in `Constant` nodes (PaddlePaddle, TensorFlow exporters) become initializers;
 * - `Identity` nodes are removed (their output name is kept when it is a graph output);
 * - BatchNormalization after a Conv whose output nothing else reads is folded into the Conv.
 * Shapes are inferred afterwards by the caller; dynamic dims are not touched here.
 */
import { type Attribute, type Graph, type Model, type Node, type Tensor } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import { graphMaps } from '../onnx/graph';
import { readFloats } from './tensorValues';

export interface PreparedModel {
  readonly model: Model;
  /** What changed, one line each, for the run log. */
  readonly notes: readonly string[];
}

export async function prepareModel(model: Model, signal?: AbortSignal): Promise<PreparedModel> {
  const notes: string[] = [];
  let graph = constantsToInitializers(model.graph, notes);
  graph = removeIdentities(graph, notes);
  graph = pruneInitializers(await foldBatchNorms(graph, notes, signal));
  return { model: { ...model, graph }, notes };
}

function constantValue(node: Node): Tensor | undefined {
  const name = node.outputs[0];
  if (node.opType !== 'Constant' || node.domain !== '' || name === undefined || node.attributes.length !== 1) return undefined;
  const v = (node.attributes[0] as Attribute).value;
  switch (v.type) {
    case 'tensor': return { ...v.value, name };
    case 'float': return makeTensor(name, [], Float32Array.of(v.value));
    case 'floats': return makeTensor(name, [v.value.length], Float32Array.from(v.value));
    case 'int': return makeTensor(name, [], BigInt64Array.of(v.value));
    case 'ints': return makeTensor(name, [v.value.length], BigInt64Array.from(v.value));
    default: return undefined;
  }
}

function constantsToInitializers(graph: Graph, notes: string[]): Graph {
  const added: Tensor[] = [];
  const nodes = graph.nodes.filter((n) => {
    const t = constantValue(n);
    if (t === undefined) return true;
    added.push(t);
    return false;
  });
  if (added.length === 0) return graph;
  notes.push(`${added.length} Constant node(s) taken as initializers`);
  return { ...graph, nodes, initializers: [...graph.initializers, ...added] };
}

function rename(nodes: readonly Node[], from: ReadonlyMap<string, string>): Node[] {
  const swap = (names: readonly string[]) => names.map((n) => from.get(n) ?? n);
  return nodes.map((n) => (n.inputs.some((i) => from.has(i)) || n.outputs.some((o) => from.has(o)) ? { ...n, inputs: swap(n.inputs), outputs: swap(n.outputs) } : n));
}

export function removeIdentities(graph: Graph, notes: string[]): Graph {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const produced = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => produced.set(o, i)));
  const useOf = new Map<string, string>(); // identity output -> its input (consumers read the input)
  const outputOf = new Map<string, string>(); // identity input -> its output (the producer writes the output name)
  const removed = new Set<number>();
  graph.nodes.forEach((n, i) => {
    if (n.opType !== 'Identity' || n.domain !== '' || n.inputs.length !== 1 || n.outputs.length !== 1) return;
    const [x, y] = [n.inputs[0]!, n.outputs[0]!];
    if (!outputs.has(y)) {
      useOf.set(y, x);
      removed.add(i);
      return;
    }
    // y is a graph output: its producer can write y directly, unless x is also needed under its own name.
    const producer = produced.get(x);
    if (producer === undefined || outputs.has(x) || outputOf.has(x)) return;
    const otherReaders = graph.nodes.some((m, j) => j !== i && m.inputs.includes(x));
    if (otherReaders) return;
    outputOf.set(x, y);
    removed.add(i);
  });
  if (removed.size === 0) return graph;
  // Chains of identities resolve to the first real value.
  const resolve = (name: string): string => {
    let at = name;
    for (let guard = 0; useOf.has(at) && guard < 10_000; guard++) at = useOf.get(at)!;
    return at;
  };
  const consumersMap = new Map([...useOf.keys()].map((k) => [k, resolve(k)]));
  let nodes = graph.nodes.filter((_, i) => !removed.has(i));
  nodes = rename(nodes, consumersMap);
  nodes = rename(nodes, outputOf);
  notes.push(`${removed.size} Identity node(s) removed`);
  return { ...graph, nodes };
}

async function foldBatchNorms(graph: Graph, notes: string[], signal?: AbortSignal): Promise<Graph> {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const readers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  // Initializers read by more than one node cannot be changed in place.
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const nodes = [...graph.nodes] as (Node | undefined)[];
  const newInitializers = new Map<string, Tensor>();
  let folded = 0;
  for (let i = 0; i < nodes.length; i++) {
    const bn = nodes[i];
    if (bn?.opType !== 'BatchNormalization' || bn.domain !== '' || bn.outputs.length !== 1) continue;
    const x = bn.inputs[0]!;
    const convIndex = producer.get(x);
    const conv = convIndex === undefined ? undefined : nodes[convIndex];
    if (conv?.opType !== 'Conv' || conv.domain !== '' || readers.get(x) !== 1 || outputs.has(x)) continue;
    const [w, b] = [initializers.get(conv.inputs[1] ?? ''), conv.inputs[2] ? initializers.get(conv.inputs[2]) : undefined];
    if (w === undefined || (conv.inputs[2] && b === undefined) || readers.get(w.name) !== 1 || (b && readers.get(b.name) !== 1)) continue;
    const params = await Promise.all(bn.inputs.slice(1, 5).map((name) => (initializers.get(name) ? readFloats(initializers.get(name)!, signal) : undefined)));
    const weights = await readFloats(w, signal);
    const bias = b ? await readFloats(b, signal) : undefined;
    if (params.some((p) => p === undefined) || weights === undefined || (b && bias === undefined)) continue;
    const [scale, shift, mean, variance] = params as Float32Array[];
    const channels = w.dims[0]!;
    if ([scale, shift, mean, variance].some((p) => p!.length !== channels)) continue;
    const epsAttr = bn.attributes.find((a) => a.name === 'epsilon')?.value;
    const eps = epsAttr?.type === 'float' ? epsAttr.value : 1e-5;
    const perChannel = weights.length / channels;
    const newW = new Float32Array(weights.length);
    const newB = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const f = scale![c]! / Math.sqrt(variance![c]! + eps);
      for (let k = 0; k < perChannel; k++) newW[c * perChannel + k] = weights[c * perChannel + k]! * f;
      newB[c] = ((bias?.[c] ?? 0) - mean![c]!) * f + shift![c]!;
    }
    const wName = w.name;
    const bName = b?.name ?? `${conv.name || wName}_folded_bias`;
    newInitializers.set(wName, makeTensor(wName, w.dims, newW));
    newInitializers.set(bName, makeTensor(bName, [channels], newB));
    initializers.set(wName, newInitializers.get(wName)!);
    nodes[convIndex!] = { ...conv, inputs: [conv.inputs[0]!, wName, bName], outputs: [bn.outputs[0]!] };
    nodes[i] = undefined;
    folded++;
  }
  if (folded === 0) return graph;
  notes.push(`${folded} BatchNormalization node(s) folded into Conv`);
  const kept = graph.initializers.filter((t) => !newInitializers.has(t.name));
  return { ...graph, nodes: nodes.filter((n): n is Node => n !== undefined), initializers: [...kept, ...newInitializers.values()] };
}

/** Drops initializers no node (or subgraph) reads and no graph output names: the float weights that were replaced. */
export function pruneInitializers(graph: Graph): Graph {
  const maps = graphMaps(graph);
  const kept = graph.initializers.filter((t) => maps.consumers.has(t.name) || maps.graphOutputs.has(t.name));
  const keptNames = new Set(kept.map((t) => t.name));
  const inputs = graph.inputs.filter((i) => !maps.initializers.has(i.name) || keptNames.has(i.name));
  return kept.length === graph.initializers.length ? graph : { ...graph, initializers: kept, inputs };
}
