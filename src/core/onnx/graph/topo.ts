import type { Graph, Node } from '../model';
import { hasSubgraphs, nodeLabel, nodeReads, nodeSubgraphs } from './subgraphs';

/** The graph cannot be ordered: a cycle, or an input nobody produces. */
export class GraphStructureError extends Error {
  override readonly name = 'GraphStructureError';
}

/** Names visible from enclosing graphs (a Set or a Map of them). */
export interface NameScope {
  has(name: string): boolean;
}

export interface OrderCheck {
  /** Node indices in a valid execution order (stable: file order when the file is already sorted). */
  readonly order: readonly number[];
  /** Labels of the nodes of one cycle, when the graph has one (those nodes are missing from `order`). */
  readonly cycle?: readonly string[];
  /** Inputs read but produced by no node, graph input, initializer or enclosing scope. */
  readonly dangling: ReadonlyArray<{ readonly node: string; readonly input: string }>;
}

/**
 * Orders one graph's nodes (Kahn's algorithm, smallest file index first). `outerScope` holds the
 * names visible from enclosing graphs (for subgraphs); subgraph reads of outer names count as
 * inputs of the node that holds the subgraph.
 */
export function checkOrder(graph: Graph, outerScope: NameScope = new Set<string>()): OrderCheck {
  const base = orderOf(graph);
  const dangling: Array<{ node: string; input: string }> = [];
  for (const u of base.unresolved) if (!outerScope.has(u.input)) dangling.push({ node: nodeLabel(graph.nodes[u.node] as Node, u.node), input: u.input });
  return base.cycle ? { order: base.order, dangling, cycle: base.cycle } : { order: base.order, dangling };
}

interface BaseOrder {
  readonly order: readonly number[];
  readonly cycle?: readonly string[];
  /** Reads that nothing in this graph provides (outer scope or dangling). */
  readonly unresolved: ReadonlyArray<{ readonly node: number; readonly input: string }>;
}

/** Graphs are immutable once read or built, so their order is computed once. */
const orderCache = new WeakMap<Graph, BaseOrder>();

function orderOf(graph: Graph): BaseOrder {
  const cached = orderCache.get(graph);
  if (cached) return cached;
  const nodes = graph.nodes;
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const available = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name), ...graph.sparseInitializers.map((s) => s.values.name)]);
  const indegree = new Int32Array(nodes.length);
  // Edges as a CSR list: producer -> dependents.
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const unresolved: Array<{ node: number; input: string }> = [];
  const deps: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    deps.length = 0;
    for (const r of nodeReads(n)) {
      if (r === '') continue;
      const p = producer.get(r);
      if (p !== undefined) {
        if (!deps.includes(p)) deps.push(p);
      } else if (!available.has(r)) unresolved.push({ node: i, input: r });
    }
    for (const p of deps) {
      indegree[i] = (indegree[i] ?? 0) + 1;
      if (p !== i) {
        edgeFrom.push(p);
        edgeTo.push(i);
      }
    }
  }
  const start = new Int32Array(nodes.length + 1);
  for (const f of edgeFrom) start[f + 1] = (start[f + 1] ?? 0) + 1;
  for (let i = 0; i < nodes.length; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, nodes.length);
  const targets = new Int32Array(edgeTo.length);
  edgeFrom.forEach((f, k) => {
    targets[fill[f] ?? 0] = edgeTo[k] ?? 0;
    fill[f] = (fill[f] ?? 0) + 1;
  });
  const heap = new MinHeap();
  indegree.forEach((d, i) => d === 0 && heap.push(i));
  const order: number[] = [];
  while (heap.size > 0) {
    const i = heap.pop();
    order.push(i);
    for (let k = start[i] ?? 0; k < (start[i + 1] ?? 0); k++) {
      const j = targets[k] ?? 0;
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) heap.push(j);
    }
  }
  const result: BaseOrder = order.length === nodes.length ? { order, unresolved } : { order, unresolved, cycle: findCycle(nodes, producer, new Set(order)) };
  orderCache.set(graph, result);
  return result;
}

function findCycle(nodes: readonly Node[], producer: ReadonlyMap<string, number>, ordered: ReadonlySet<number>): string[] {
  const start = nodes.findIndex((_, i) => !ordered.has(i));
  const path: number[] = [];
  const seen = new Map<number, number>();
  let at = start;
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    const node = nodes[at];
    const next = node ? nodeReads(node).map((r) => producer.get(r)).find((p) => p !== undefined && !ordered.has(p)) : undefined;
    if (next === undefined) break;
    at = next;
  }
  const from = seen.get(at) ?? 0;
  return path.slice(from).reverse().map((i) => nodeLabel(nodes[i] as Node, i));
}

/** Execution order of one graph; throws GraphStructureError on a cycle or a dangling input. */
export function topologicalOrder(graph: Graph, outerScope?: NameScope): number[] {
  const check = checkOrder(graph, outerScope);
  if (check.cycle) throw new GraphStructureError(`graph '${graph.name}' has a cycle through ${check.cycle.join(' -> ')}`);
  const d = check.dangling[0];
  if (d) throw new GraphStructureError(`node '${d.node}' reads '${d.input}', which no node, graph input or initializer provides`);
  return [...check.order];
}

/** Execution order as far as there is one; the nodes it cannot order (cycle, dangling input) follow in file order. */
export function lenientOrder(graph: Graph, outerScope?: NameScope): readonly number[] {
  const check = checkOrder(graph, outerScope);
  if (check.order.length === graph.nodes.length) return check.order;
  const done = new Set(check.order);
  return [...check.order, ...graph.nodes.map((_, i) => i).filter((i) => !done.has(i))];
}

export interface OrderedNode {
  readonly node: Node;
  /** Index of the node in its own graph. */
  readonly index: number;
  /** '' for the main graph; e.g. `loop_1/body` or `outer/then_branch/inner/body` for nested graphs. */
  readonly graphPath: string;
  readonly depth: number;
}

/**
 * Every node of the model in execution order; a subgraph's nodes follow the node that holds it.
 * Strict (default) throws GraphStructureError on cycles and dangling inputs; lenient puts the
 * nodes it cannot order after the others, in file order.
 */
export function topologicalWalk(graph: Graph, options: { readonly strict?: boolean } = {}): OrderedNode[] {
  const out: OrderedNode[] = [];
  const strict = options.strict ?? true;
  const visit = (g: Graph, path: string, depth: number, outer: ReadonlySet<string>) => {
    const order = strict ? topologicalOrder(g, outer) : lenientOrder(g, outer);
    // Names visible to nested graphs; built only when this graph has any.
    let scope: Set<string> | undefined;
    for (const i of order) {
      const node = g.nodes[i] as Node;
      out.push({ node, index: i, graphPath: path, depth });
      if (!hasSubgraphs(node)) continue;
      if (!scope) {
        scope = new Set(outer);
        for (const v of g.inputs) scope.add(v.name);
        for (const t of g.initializers) scope.add(t.name);
        for (const n of g.nodes) for (const o of n.outputs) if (o) scope.add(o);
      }
      for (const sub of nodeSubgraphs(node)) visit(sub.graph, subgraphPath(path, node, i, sub.attribute), depth + 1, scope);
    }
  };
  visit(graph, '', 0, new Set());
  return out;
}

/** The graphPath of a subgraph held by `node` (index `index`) of the graph at `path`. */
export function subgraphPath(path: string, node: Node, index: number, attribute: string): string {
  return `${path ? `${path}/` : ''}${nodeLabel(node, index)}/${attribute}`;
}

/** Every node of the model with its graph path, in file order (no ordering cost: for sums over nodes). */
export function forEachNode(graph: Graph, visit: (node: Node, index: number, graphPath: string) => void, path = ''): void {
  const nodes = graph.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Node;
    visit(node, i, path);
    if (hasSubgraphs(node)) for (const sub of nodeSubgraphs(node)) forEachNode(sub.graph, visit, subgraphPath(path, node, i, sub.attribute));
  }
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] as number) <= x) break;
      a[i] = a[p] as number;
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
