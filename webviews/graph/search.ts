import type { GraphRows } from '../../src/protocol/graphRows';

/** Nodes whose name, op type, or an input/output tensor name contains the query (case-insensitive). */
export function searchNodes(graph: GraphRows, query: string): number[] {
  const q = query.toLowerCase();
  const found: number[] = [];
  graph.nodes.forEach((node, i) => {
    if (node.name.toLowerCase().includes(q) || node.op.toLowerCase().includes(q)) {
      found.push(i);
      return;
    }
    for (const t of [...node.inputs, ...node.outputs]) {
      if (t >= 0 && graph.tensors[t]!.name.toLowerCase().includes(q)) {
        found.push(i);
        return;
      }
    }
  });
  return found;
}
