import type { Graph, Model, Node } from '../onnx/model';
import type { DiffStatus, GraphPayload } from '../../protocol/graphPayload';
import { formatAttributeValue } from './attributes';
import { buildGraphPayload, type BuildOptions } from './buildPayload';

/** One node-level difference between two graphs, keyed by node identity. */
export interface NodeChange {
  readonly node: string;
  readonly what: readonly string[];
}

export interface NodeDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly NodeChange[];
}

/** Identity of a node across two models: its name, or its first output for unnamed nodes. */
export function nodeKey(node: Node): string {
  return node.name !== '' ? node.name : `→${node.outputs[0] ?? ''}`;
}

/** What differs between two nodes with the same identity (op, domain, wiring, attributes). */
export function nodeDifferences(a: Node, b: Node): string[] {
  const what: string[] = [];
  if (a.opType !== b.opType || a.domain !== b.domain) what.push(`op ${a.domain ? `${a.domain}.` : ''}${a.opType} → ${b.domain ? `${b.domain}.` : ''}${b.opType}`);
  if (a.inputs.join('\u0000') !== b.inputs.join('\u0000')) what.push('inputs');
  if (a.outputs.join('\u0000') !== b.outputs.join('\u0000')) what.push('outputs');
  const attrs = (n: Node) => new Map(n.attributes.map((x) => [x.name, formatAttributeValue(x.value)]));
  const aa = attrs(a);
  const ba = attrs(b);
  for (const name of new Set([...aa.keys(), ...ba.keys()])) {
    if (aa.get(name) !== ba.get(name)) what.push(`attribute ${name}`);
  }
  return what;
}

/** Node-level diff of two main graphs (the engine's structural diff supersedes this when present). */
export function diffNodes(base: Graph, other: Graph): NodeDiff {
  const baseNodes = new Map(base.nodes.map((n) => [nodeKey(n), n]));
  const otherKeys = new Set(other.nodes.map(nodeKey));
  const added: string[] = [];
  const changed: NodeChange[] = [];
  for (const n of other.nodes) {
    const key = nodeKey(n);
    const before = baseNodes.get(key);
    if (!before) added.push(key);
    else {
      const what = nodeDifferences(before, n);
      if (what.length > 0) changed.push({ node: key, what });
    }
  }
  const removed = base.nodes.map(nodeKey).filter((k) => !otherKeys.has(k));
  return { added, removed, changed };
}

/**
 * Diff mode payload: the other model's graph with the base model's removed nodes merged in
 * (each after the node it followed in the base), every node coloured by its status.
 */
export function buildDiffPayload(
  base: Model,
  other: Model,
  options: BuildOptions & { readonly baseTitle: string; readonly diff?: NodeDiff },
): GraphPayload {
  const diff = options.diff ?? diffNodes(base.graph, other.graph);
  const removed = new Set(diff.removed);
  const added = new Set(diff.added);
  const changed = new Map(diff.changed.map((c) => [c.node, c.what]));

  const otherKeys = new Set(other.graph.nodes.map(nodeKey));
  const after = new Map<string, Node[]>();
  let anchor = '';
  for (const n of base.graph.nodes) {
    const key = nodeKey(n);
    if (removed.has(key) && !otherKeys.has(key)) {
      const list = after.get(anchor) ?? [];
      list.push(n);
      after.set(anchor, list);
    } else if (otherKeys.has(key)) anchor = key;
  }
  const merged: Node[] = [...(after.get('') ?? [])];
  for (const n of other.graph.nodes) {
    merged.push(n);
    merged.push(...(after.get(nodeKey(n)) ?? []));
  }
  const otherInitializers = new Set(other.graph.initializers.map((t) => t.name));
  const otherValueInfo = new Set(other.graph.valueInfo.map((v) => v.name));
  const graph: Graph = {
    ...other.graph,
    nodes: merged,
    initializers: [...other.graph.initializers, ...base.graph.initializers.filter((t) => !otherInitializers.has(t.name))],
    valueInfo: [...other.graph.valueInfo, ...base.graph.valueInfo.filter((v) => !otherValueInfo.has(v.name))],
  };
  const payload = buildGraphPayload({ ...other, graph }, options);
  const main = payload.graphs[0]!;
  const status: DiffStatus[] = [];
  const changes: Array<{ node: number; what: string[] }> = [];
  let op = 0;
  main.nodes.kind.forEach((kind, i) => {
    if (kind !== 'op') {
      status.push('same');
      return;
    }
    const key = nodeKey(merged[op++]!);
    const what = changed.get(key);
    if (what) changes.push({ node: i, what: [...what] });
    status.push(removed.has(key) && !otherKeys.has(key) ? 'removed' : added.has(key) ? 'added' : what ? 'changed' : 'same');
  });
  return { ...payload, title: `${options.baseTitle} ↔ ${options.title}`, diff: { baseTitle: options.baseTitle, otherTitle: options.title, status, changes } };
}
