import type { Graph, Node } from '../model';

/** The graphs held by a node's attributes (If branches, Loop/Scan bodies), with their attribute names. */
const noSubgraphs: ReadonlyArray<{ readonly attribute: string; readonly graph: Graph }> = Object.freeze([]);

export function nodeSubgraphs(node: Node): ReadonlyArray<{ readonly attribute: string; readonly graph: Graph }> {
  if (!hasSubgraphs(node)) return noSubgraphs;
  const out: Array<{ attribute: string; graph: Graph }> = [];
  for (const a of node.attributes) {
    if (a.value.type === 'graph') out.push({ attribute: a.name, graph: a.value.value });
    else if (a.value.type === 'graphs') a.value.value.forEach((g, i) => out.push({ attribute: `${a.name}[${i}]`, graph: g }));
  }
  return out;
}

const readsCache = new WeakMap<Graph, ReadonlySet<string>>();

/** Names a graph (with its nested subgraphs) reads but does not define: its outer-scope reads. */
export function outerScopeReads(graph: Graph): ReadonlySet<string> {
  const cached = readsCache.get(graph);
  if (cached) return cached;
  const defined = new Set<string>();
  for (const i of graph.inputs) defined.add(i.name);
  for (const t of graph.initializers) defined.add(t.name);
  for (const s of graph.sparseInitializers) defined.add(s.values.name);
  for (const n of graph.nodes) for (const o of n.outputs) if (o) defined.add(o);
  const reads = new Set<string>();
  for (const n of graph.nodes) {
    for (const i of n.inputs) if (i && !defined.has(i)) reads.add(i);
    for (const { graph: g } of nodeSubgraphs(n)) for (const r of outerScopeReads(g)) if (!defined.has(r)) reads.add(r);
  }
  for (const o of graph.outputs) if (!defined.has(o.name)) reads.add(o.name);
  readsCache.set(graph, reads);
  return reads;
}

export function hasSubgraphs(node: Node): boolean {
  for (const a of node.attributes) if (a.value.type === 'graph' || a.value.type === 'graphs') return true;
  return false;
}

/** Every tensor a node reads: declared inputs, then what its subgraphs take from the enclosing scope (may contain ''). */
export function nodeReads(node: Node): readonly string[] {
  if (!hasSubgraphs(node)) return node.inputs;
  const reads = node.inputs.filter((i) => i !== '');
  for (const { graph } of nodeSubgraphs(node)) for (const r of outerScopeReads(graph)) if (!reads.includes(r)) reads.push(r);
  return reads;
}

/** A node's display label: its name, else `<opType>#<index>`. */
export function nodeLabel(node: Node, index: number): string {
  return node.name || `${node.opType}#${index}`;
}
