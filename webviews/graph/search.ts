import type { GraphRows } from '../../src/protocol/graphRows';

/** Why a node matched a query: its name, its op type, or the name of one of its tensors (given). */
export type MatchReason = { readonly by: 'name' | 'op' } | { readonly by: 'tensor'; readonly tensor: string };

export function matchReason(graph: GraphRows, node: number, query: string): MatchReason | undefined {
  const q = query.toLowerCase();
  const n = graph.nodes[node]!;
  if (n.name.toLowerCase().includes(q)) return { by: 'name' };
  if (n.op.toLowerCase().includes(q)) return { by: 'op' };
  for (const t of [...n.inputs, ...n.outputs]) if (t >= 0 && graph.tensors[t]!.name.toLowerCase().includes(q)) return { by: 'tensor', tensor: graph.tensors[t]!.name };
  return undefined;
}

/** What a result row shows of a node: its name (or, unnamed, its first output's name) and op. */
export function resultLabel(graph: GraphRows, node: number): { name: string; op: string } {
  const n = graph.nodes[node]!;
  const output = n.outputs[0];
  const name = n.name || (output !== undefined && output >= 0 ? graph.tensors[output]!.name : '') || `${n.op} #${node}`;
  return { name, op: n.kind === 'op' ? n.op : n.kind };
}

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
