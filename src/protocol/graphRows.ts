import type { Dim, GraphView, NodeKind } from './graphPayload';

/**
 * Row view of a graph (one object per node, tensor, group): what the builder produces and
 * the webview works with. The wire format is columns (see graphPayload.ts).
 */
export interface NodeRow {
  name: string;
  op: string;
  domain: string;
  kind: NodeKind;
  group: number;
  /** Declared inputs, then the values its If/Loop/Scan bodies read from this graph. */
  inputs: number[];
  /** How many of the last `inputs` are such outer-scope reads (0 when absent). */
  captures?: number;
  outputs: number[];
  attributes: Array<{ name: string; type: string; value: string }>;
  doc?: string;
  flops: number | null;
  params: number;
  subgraphs: Array<{ attribute: string; graph: number }>;
  /** Computes weights only (see `folded` in graphPayload.ts). */
  folded: boolean;
}

export interface TensorRow {
  name: string;
  dtype: string;
  shape: Dim[] | null;
  producer: number;
  initializer: boolean;
  elements: number;
  /** An initializer or a folded weight node's output. */
  weight: boolean;
  /** Display value of a small weight. */
  value?: string;
}

export interface GroupRow {
  name: string;
  /** Full scope path, e.g. `/encoder/layer.3/attn`. */
  path: string;
  parent: number;
  size: number;
  synthetic: boolean;
}

export interface GraphRows {
  id: string;
  title: string;
  owner: GraphView['owner'];
  nodes: NodeRow[];
  tensors: TensorRow[];
  groups: GroupRow[];
}

/** Front coding (see graphPayload.ts): shared-prefix lengths and suffixes. */
export function frontCode(names: readonly string[]): { prefix: number[]; suffix: string[] } {
  const prefix: number[] = [];
  const suffix: string[] = [];
  let previous = '';
  for (const name of names) {
    const limit = Math.min(previous.length, name.length, 0xffff);
    let k = 0;
    while (k < limit && previous.charCodeAt(k) === name.charCodeAt(k)) k++;
    // Never split a surrogate pair between prefix and suffix.
    if (k > 0 && k < name.length && (name.charCodeAt(k) & 0xfc00) === 0xdc00) k--;
    prefix.push(k);
    suffix.push(name.slice(k));
    previous = name;
  }
  return { prefix, suffix };
}

/** Decodes front-coded names (lengths already checked by the schema). */
export function namesOf(column: { readonly name: readonly string[]; readonly namePrefix: readonly number[] }): string[] {
  const out: string[] = [];
  let previous = '';
  column.name.forEach((suffix, i) => {
    previous = previous.slice(0, column.namePrefix[i] ?? 0) + suffix;
    out.push(previous);
  });
  return out;
}

export function toColumns(rows: GraphRows): GraphView {
  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (s: string) => {
    let i = interned.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      interned.set(s, i);
    }
    return i;
  };
  const nodeNames = frontCode(rows.nodes.map((n) => n.name));
  const nodes: GraphView['nodes'] = { name: nodeNames.suffix, namePrefix: nodeNames.prefix, op: [], domain: [], kind: [], group: [], inputs: [], inputStart: [0], outputs: [], outputStart: [0], flops: [], params: [], folded: [] };
  const attributes: GraphView['attributes'] = [];
  const docs: GraphView['docs'] = [];
  const subgraphs: GraphView['subgraphs'] = [];
  const captures: number[] = [];
  rows.nodes.forEach((n, i) => {
    captures.push(n.captures ?? 0);
    nodes.op.push(intern(n.op));
    nodes.domain.push(intern(n.domain));
    nodes.kind.push(n.kind);
    nodes.group.push(n.group);
    // One push per name: a node may have 200,000 inputs, too many for a spread's arguments.
    for (const x of n.inputs) nodes.inputs.push(x);
    nodes.inputStart.push(nodes.inputs.length);
    for (const x of n.outputs) nodes.outputs.push(x);
    nodes.outputStart.push(nodes.outputs.length);
    nodes.flops.push(n.flops);
    nodes.params.push(n.params);
    nodes.folded.push(n.folded);
    for (const a of n.attributes) attributes.push({ node: i, ...a });
    if (n.doc) docs.push([i, n.doc]);
    for (const s of n.subgraphs) subgraphs.push({ node: i, ...s });
  });
  const tensorNames = frontCode(rows.tensors.map((t) => t.name));
  const tensors: GraphView['tensors'] = { name: tensorNames.suffix, namePrefix: tensorNames.prefix, dtype: [], shape: [], producer: [], initializer: [], elements: [], weight: [] };
  const values: GraphView['values'] = [];
  rows.tensors.forEach((t, i) => {
    tensors.dtype.push(intern(t.dtype));
    tensors.shape.push(t.shape);
    tensors.producer.push(t.producer);
    tensors.initializer.push(t.initializer);
    tensors.elements.push(t.elements);
    tensors.weight.push(t.weight);
    if (t.value !== undefined) values.push([i, t.value]);
  });
  const groups: GraphView['groups'] = { name: [], parent: [], size: [], synthetic: [] };
  for (const g of rows.groups) {
    groups.name.push(g.name);
    groups.parent.push(g.parent);
    groups.size.push(g.size);
    groups.synthetic.push(g.synthetic);
  }
  if (captures.some((c) => c > 0)) nodes.captures = captures;
  return { id: rows.id, title: rows.title, owner: rows.owner, strings, nodes, tensors, groups, attributes, docs, subgraphs, values };
}

/** Rows of a validated graph (lengths and indices already checked by the schema). */
export function fromColumns(view: GraphView): GraphRows {
  const { nodes: n, tensors: t, groups: g, strings } = view;
  const nodes: NodeRow[] = namesOf(n).map((name, i) => ({
    name,
    op: strings[n.op[i]!]!,
    domain: strings[n.domain[i]!]!,
    kind: n.kind[i]!,
    group: n.group[i]!,
    inputs: n.inputs.slice(n.inputStart[i]!, n.inputStart[i + 1]!),
    ...(n.captures?.[i] ? { captures: n.captures[i] } : {}),
    outputs: n.outputs.slice(n.outputStart[i]!, n.outputStart[i + 1]!),
    attributes: [],
    flops: n.flops[i]!,
    params: n.params[i]!,
    subgraphs: [],
    folded: n.folded[i]!,
  }));
  for (const a of view.attributes) nodes[a.node]!.attributes.push({ name: a.name, type: a.type, value: a.value });
  for (const [node, doc] of view.docs) nodes[node]!.doc = doc;
  for (const s of view.subgraphs) nodes[s.node]!.subgraphs.push({ attribute: s.attribute, graph: s.graph });
  const tensors: TensorRow[] = namesOf(t).map((name, i) => ({
    name,
    dtype: strings[t.dtype[i]!]!,
    shape: t.shape[i]!,
    producer: t.producer[i]!,
    initializer: t.initializer[i]!,
    elements: t.elements[i]!,
    weight: t.weight[i]!,
  }));
  for (const [tensor, value] of view.values) tensors[tensor]!.value = value;
  const groups: GroupRow[] = [];
  g.name.forEach((name, i) => {
    const parent = g.parent[i]!;
    groups.push({ name, path: i === 0 ? '' : `${groups[parent]?.path ?? ''}/${name}`, parent, size: g.size[i]!, synthetic: g.synthetic[i]! });
  });
  return { id: view.id, title: view.title, owner: view.owner, nodes, tensors, groups };
}
