import type { GraphModel, VisibleEdge } from './graphModel';

/**
 * Where an arrow key goes along the data path. From a node: up to the producer of its first
 * data input (weights and constants skipped), down to the first consumer of its first output
 * (one that takes it as its data input preferred), whichever visible item holds that node — so
 * the keys leave a group the way the data does. From a collapsed group: along its visible edges.
 */
export function dataPathStep(model: GraphModel, edges: readonly VisibleEdge[], from: number, direction: 'up' | 'down'): number {
  if (!model.isGroup(from)) {
    const target = direction === 'up' ? producerOf(model, from) : consumerOf(model, from);
    if (target >= 0) return target;
  }
  const edge = edges.find((e) => (direction === 'up' ? e.to === from : e.from === from));
  return edge ? (direction === 'up' ? edge.from : edge.to) : -1;
}

function isWeightNode(model: GraphModel, node: number): boolean {
  const n = model.graph.nodes[node]!;
  return n.kind === 'op' && n.inputs.length === 0 && n.op === 'Constant';
}

function producerOf(model: GraphModel, node: number): number {
  const { nodes, tensors } = model.graph;
  for (const t of nodes[node]!.inputs) {
    if (t < 0 || tensors[t]!.initializer) continue;
    const producer = tensors[t]!.producer;
    if (producer < 0 || isWeightNode(model, producer)) continue;
    const item = model.representative(producer);
    if (item !== model.representative(node)) return item;
  }
  return -1;
}

function consumerOf(model: GraphModel, node: number): number {
  for (const t of model.graph.nodes[node]!.outputs) {
    const consumers = model.consumers[t]!;
    const first = consumers.find((c) => model.graph.nodes[c]!.inputs[0] === t) ?? consumers[0];
    for (const c of first === undefined ? [] : [first, ...consumers]) {
      const item = model.representative(c);
      if (item !== model.representative(node)) return item;
    }
  }
  return -1;
}
