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
  inputs: number[];
  outputs: number[];
  attributes: Array<{ name: string; type: string; value: string }>;
  doc?: string;
  flops: number | null;
  params: number;
  subgraphs: Array<{ attribute: string; graph: number }>;
}

export interface TensorRow {
  name: string;
  dtype: string;
  shape: Dim[] | null;
  producer: number;
  initializer: boolean;
  elements: number;
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
  const nodes: GraphView['nodes'] = { name: [], op: [], domain: [], kind: [], group: [], inputs: [], inputStart: [0], outputs: [], outputStart: [0], flops: [], params: [] };
  const attributes: GraphView['attributes'] = [];
  const docs: GraphView['docs'] = [];
  const subgraphs: GraphView['subgraphs'] = [];
  rows.nodes.forEach((n, i) => {
    nodes.name.push(n.name);
    nodes.op.push(intern(n.op));
    nodes.domain.push(intern(n.domain));
    nodes.kind.push(n.kind);
    nodes.group.push(n.group);
    nodes.inputs.push(...n.inputs);
    nodes.inputStart.push(nodes.inputs.length);
    nodes.outputs.push(...n.outputs);
    nodes.outputStart.push(nodes.outputs.length);
    nodes.flops.push(n.flops);
    nodes.params.push(n.params);
    for (const a of n.attributes) attributes.push({ node: i, ...a });
    if (n.doc) docs.push([i, n.doc]);
    for (const s of n.subgraphs) subgraphs.push({ node: i, ...s });
  });
  const tensors: GraphView['tensors'] = { name: [], dtype: [], shape: [], producer: [], initializer: [], elements: [] };
  for (const t of rows.tensors) {
    tensors.name.push(t.name);
    tensors.dtype.push(intern(t.dtype));
    tensors.shape.push(t.shape);
    tensors.producer.push(t.producer);
    tensors.initializer.push(t.initializer);
    tensors.elements.push(t.elements);
  }
  const groups: GraphView['groups'] = { name: [], parent: [], size: [], synthetic: [] };
  for (const g of rows.groups) {
    groups.name.push(g.name);
    groups.parent.push(g.parent);
    groups.size.push(g.size);
    groups.synthetic.push(g.synthetic);
  }
  return { id: rows.id, title: rows.title, owner: rows.owner, strings, nodes, tensors, groups, attributes, docs, subgraphs };
}

/** Rows of a validated graph (lengths and indices already checked by the schema). */
export function fromColumns(view: GraphView): GraphRows {
  const { nodes: n, tensors: t, groups: g, strings } = view;
  const nodes: NodeRow[] = n.name.map((name, i) => ({
    name,
    op: strings[n.op[i]!]!,
    domain: strings[n.domain[i]!]!,
    kind: n.kind[i]!,
    group: n.group[i]!,
    inputs: n.inputs.slice(n.inputStart[i]!, n.inputStart[i + 1]!),
    outputs: n.outputs.slice(n.outputStart[i]!, n.outputStart[i + 1]!),
    attributes: [],
    flops: n.flops[i]!,
    params: n.params[i]!,
    subgraphs: [],
  }));
  for (const a of view.attributes) nodes[a.node]!.attributes.push({ name: a.name, type: a.type, value: a.value });
  for (const [node, doc] of view.docs) nodes[node]!.doc = doc;
  for (const s of view.subgraphs) nodes[s.node]!.subgraphs.push({ attribute: s.attribute, graph: s.graph });
  const tensors: TensorRow[] = t.name.map((name, i) => ({
    name,
    dtype: strings[t.dtype[i]!]!,
    shape: t.shape[i]!,
    producer: t.producer[i]!,
    initializer: t.initializer[i]!,
    elements: t.elements[i]!,
  }));
  const groups: GroupRow[] = [];
  g.name.forEach((name, i) => {
    const parent = g.parent[i]!;
    groups.push({ name, path: i === 0 ? '' : `${groups[parent]?.path ?? ''}/${name}`, parent, size: g.size[i]!, synthetic: g.synthetic[i]! });
  });
  return { id: view.id, title: view.title, owner: view.owner, nodes, tensors, groups };
}
