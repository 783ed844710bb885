import { makeTensor } from '../onnx/builder/graphBuilder';
import { nodeSubgraphs } from '../onnx/graph/subgraphs';
import type { Graph, Node, Tensor } from '../onnx/model';

/**
 * Weight folding for the graph view (a view concern: the model is not changed). Exporters
 * keep weights in `Constant` nodes (paddle2onnx), pass initializers through `Identity`
 * (tf2onnx), or compute them from constants (`Constant -> Cast`, `DequantizeLinear` of an int8
 * constant, `Reshape`/`Transpose`/`Unsqueeze` of a weight). Such nodes never see the model's
 * inputs: the view draws their results as weight inputs of the consumer, like initializers.
 */

/** Ops whose output is not a function of their inputs: never folded even with constant inputs. */
const nondeterministic = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

export interface WeightNodes {
  /** Indices (in `graph.nodes`) of the nodes that only compute weights. */
  readonly folded: ReadonlySet<number>;
  /** Tensors known without running the model: initializers, outputs of folded nodes, the outer graph's weights. */
  readonly weights: ReadonlySet<string>;
}

/**
 * The nodes of `graph` that compute weights only: `Constant` nodes, and nodes without
 * subgraphs whose every input is a weight. Nodes that produce a graph output stay visible.
 * `outer`: weights of the enclosing graph (for If/Loop/Scan bodies).
 */
export function findWeightNodes(graph: Graph, outer: ReadonlySet<string> = new Set()): WeightNodes {
  const weights = new Set<string>(outer);
  for (const t of graph.initializers) weights.add(t.name);
  for (const s of graph.sparseInitializers) weights.add(s.values.name);
  // A graph input that an initializer also names is an overridable default, not a weight.
  for (const i of graph.inputs) weights.delete(i.name);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const folded = new Set<number>();
  graph.nodes.forEach((node, index) => {
    if (!isWeightNode(node, weights) || node.outputs.some((o) => graphOutputs.has(o))) return;
    folded.add(index);
    for (const o of node.outputs) if (o) weights.add(o);
  });
  return { folded, weights };
}

function isWeightNode(node: Node, weights: ReadonlySet<string>): boolean {
  if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) return true;
  if (nondeterministic.has(node.opType) || nodeSubgraphs(node).length > 0) return false;
  const inputs = node.inputs.filter((i) => i !== '');
  return inputs.length > 0 && inputs.every((i) => weights.has(i));
}

/** The tensor a `Constant` node holds, named after its output; undefined for strings and sparse values. */
export function constantTensor(node: Node): Tensor | undefined {
  const name = node.outputs[0] ?? '';
  for (const a of node.attributes) {
    const v = a.value;
    if (a.name === 'value' && v.type === 'tensor') return { ...v.value, name };
    if (a.name === 'value_float' && v.type === 'float') return makeTensor(name, [], new Float32Array([v.value]));
    if (a.name === 'value_floats' && v.type === 'floats') return makeTensor(name, [v.value.length], new Float32Array(v.value));
    if (a.name === 'value_int' && v.type === 'int') return makeTensor(name, [], new BigInt64Array([v.value]));
    if (a.name === 'value_ints' && v.type === 'ints') return makeTensor(name, [v.value.length], new BigInt64Array(v.value));
  }
  return undefined;
}

/**
 * Finds the stored tensor behind a weight: an initializer, a `Constant` node's value, or (for
 * a weight computed from constants, e.g. `DequantizeLinear` of an int8 constant) the largest
 * stored tensor it is computed from. Indexes `graph` and its subgraphs once.
 */
export function weightSources(graph: Graph): (name: string) => Tensor | undefined {
  const producers = new Map<string, Node>();
  const stored = new Map<string, Tensor>();
  const visit = (g: Graph) => {
    for (const t of g.initializers) if (!stored.has(t.name)) stored.set(t.name, t);
    for (const n of g.nodes) {
      for (const o of n.outputs) if (o && !producers.has(o)) producers.set(o, n);
      for (const { graph: body } of nodeSubgraphs(n)) visit(body);
    }
  };
  visit(graph);
  // Depth first, inputs in order, each tensor once; the largest stored tensor found first wins.
  // A loop, not recursion: a chain of 20,000 Identity nodes overflowed the call stack. What an
  // earlier call found for a tensor stands for everything behind it, so resolving each node of
  // such a chain in order is linear, not quadratic (66 s for 20,000).
  const found = new Map<string, Tensor | undefined>();
  return (name) => {
    const seen = new Set<string>();
    const stack = [name];
    let best: Tensor | undefined;
    const consider = (t: Tensor | undefined) => {
      if (t && (!best || elementCount(t) > elementCount(best))) best = t;
    };
    while (stack.length > 0) {
      const tensor = stack.pop()!;
      if (seen.has(tensor)) continue;
      seen.add(tensor);
      if (found.has(tensor)) {
        consider(found.get(tensor));
        continue;
      }
      const producer = producers.get(tensor);
      const direct = stored.get(tensor);
      if (direct !== undefined || producer?.opType === 'Constant') {
        consider(direct ?? constantTensor(producer!));
        continue;
      }
      if (!producer) continue;
      for (let k = producer.inputs.length - 1; k >= 0; k--) if (producer.inputs[k]) stack.push(producer.inputs[k]!);
    }
    found.set(name, best);
    return best;
  };
}

export function elementCount(t: Tensor): number {
  return t.dims.reduce((a, b) => a * b, 1);
}
