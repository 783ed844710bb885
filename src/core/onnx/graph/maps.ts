import type { Graph } from '../model';
import { nodeReads } from './subgraphs';

export interface TensorUse {
  readonly node: number;
  /** Input position, or -1 when a subgraph of the node reads the tensor from the enclosing scope. */
  readonly input: number;
}

export interface GraphMaps {
  /** Tensor name -> the node (index in graph.nodes) and output position that produces it. */
  readonly producers: ReadonlyMap<string, { readonly node: number; readonly output: number }>;
  /** Tensor name -> every node that reads it, in node order. */
  readonly consumers: ReadonlyMap<string, readonly TensorUse[]>;
  readonly graphInputs: ReadonlySet<string>;
  readonly graphOutputs: ReadonlySet<string>;
  readonly initializers: ReadonlySet<string>;
}

/** Producer and consumer maps of one graph; subgraph reads of outer names count as uses by the holding node. */
export function graphMaps(graph: Graph): GraphMaps {
  const producers = new Map<string, { node: number; output: number }>();
  const consumers = new Map<string, TensorUse[]>();
  graph.nodes.forEach((n, i) => {
    n.outputs.forEach((o, k) => o && producers.set(o, { node: i, output: k }));
    const declared = new Set<string>();
    n.inputs.forEach((name, k) => {
      if (!name) return;
      declared.add(name);
      push(consumers, name, { node: i, input: k });
    });
    for (const r of nodeReads(n)) if (r !== '' && !declared.has(r)) push(consumers, r, { node: i, input: -1 });
  });
  const initializers = new Set([...graph.initializers.map((t) => t.name), ...graph.sparseInitializers.map((s) => s.values.name)]);
  return {
    producers,
    consumers,
    graphInputs: new Set(graph.inputs.map((v) => v.name).filter((n) => !initializers.has(n))),
    graphOutputs: new Set(graph.outputs.map((v) => v.name)),
    initializers,
  };
}

function push(map: Map<string, TensorUse[]>, key: string, use: TensorUse): void {
  const list = map.get(key);
  if (list) list.push(use);
  else map.set(key, [use]);
}
