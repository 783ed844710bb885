import { z } from 'zod';

/**
 * The graph view model the extension host (or the HTML export) hands to the graph webview.
 * Everything in here comes from an untrusted model file: the webview shows strings as text,
 * never as markup. Indices refer to arrays of the same graph.
 */

const text = z.string().max(1_000_000);
const index = z.number().int().min(0);

/** A dimension: a size, a symbolic name, or unknown (`null`). */
export const dimSchema = z.union([z.number().int().min(0), text, z.null()]);

export const tensorViewSchema = z.object({
  name: text,
  /** `float32`, `int8`, …; '' when unknown. */
  dtype: text,
  /** `null` when the rank is unknown. */
  shape: z.array(dimSchema).nullable(),
  /** Index of the producing node (graph-input pseudo nodes produce graph inputs); -1: initializer or outer scope. */
  producer: z.number().int().min(-1),
  initializer: z.boolean(),
  /** Element count of an initializer (for params), else 0. */
  elements: z.number().min(0),
});
export type TensorView = z.infer<typeof tensorViewSchema>;

export const attributeViewSchema = z.object({ name: text, type: text, value: text });
export type AttributeView = z.infer<typeof attributeViewSchema>;

export const subgraphRefSchema = z.object({ attribute: text, graph: index });

export const nodeKindSchema = z.enum(['op', 'input', 'output']);
export type NodeKind = z.infer<typeof nodeKindSchema>;

export const nodeViewSchema = z.object({
  name: text,
  op: text,
  domain: text,
  kind: nodeKindSchema,
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: z.array(z.number().int().min(-1)),
  outputs: z.array(z.number().int().min(-1)),
  attributes: z.array(attributeViewSchema),
  doc: text.optional(),
  /** Innermost group (0 is the root group). */
  group: index,
  /** Floating-point operations of one inference; `null` when shapes are unknown. */
  flops: z.number().min(0).nullable(),
  params: z.number().min(0),
  subgraphs: z.array(subgraphRefSchema),
});
export type NodeView = z.infer<typeof nodeViewSchema>;

/** A name-scope group (`/encoder/layer.3/attn`) or a synthetic chunk of a too-wide scope. */
export const groupViewSchema = z.object({
  name: text,
  path: text,
  /** -1 for the root group (index 0). */
  parent: z.number().int().min(-1),
  /** Nodes below this group, recursively. */
  size: z.number().int().min(0),
  synthetic: z.boolean(),
});
export type GroupView = z.infer<typeof groupViewSchema>;

export const graphViewSchema = z.object({
  /** Stable within a payload: `main`, `main/If_3/then_branch`, … */
  id: text,
  title: text,
  /** The graph and node that own this subgraph, for If/Loop/Scan bodies. */
  owner: z.object({ graph: index, node: index, attribute: text }).nullable(),
  nodes: z.array(nodeViewSchema),
  tensors: z.array(tensorViewSchema),
  groups: z.array(groupViewSchema).min(1),
});
export type GraphView = z.infer<typeof graphViewSchema>;

/** Per-node values drawn as colours (FLOPs, params, latency, quantization error, …). */
export const overlaySchema = z.object({
  id: z.string().regex(/^[a-zA-Z][\w.-]{0,63}$/),
  label: text,
  unit: text,
  graph: index,
  /** [node index, value]; nodes without a value are drawn neutral. */
  values: z.array(z.tuple([index, z.number()])),
  /** Log scale spreads values over orders of magnitude (FLOPs). */
  scale: z.enum(['linear', 'log']),
});
export type Overlay = z.infer<typeof overlaySchema>;

export const diffStatusSchema = z.enum(['same', 'added', 'removed', 'changed']);
export type DiffStatus = z.infer<typeof diffStatusSchema>;

/** Diff mode: graph 0 is the merged graph (nodes of B plus the removed nodes of A). */
export const diffViewSchema = z.object({
  baseTitle: text,
  otherTitle: text,
  /** One status per node of graph 0. */
  status: z.array(diffStatusSchema),
  changes: z.array(z.object({ node: index, what: z.array(text) })),
});
export type DiffView = z.infer<typeof diffViewSchema>;

export const modelInfoSchema = z.object({
  irVersion: text,
  opsets: z.array(z.object({ domain: text, version: text })),
  producer: text,
  doc: text,
  metadata: z.array(z.object({ key: text, value: text })),
});

export const graphPayloadSchema = z
  .object({
    version: z.literal(1),
    title: text,
    model: modelInfoSchema,
    graphs: z.array(graphViewSchema).min(1),
    overlays: z.array(overlaySchema),
    diff: diffViewSchema.nullable(),
  })
  .superRefine((payload, ctx) => {
    for (const problem of payloadIndexProblems(payload)) ctx.addIssue({ code: 'custom', message: problem });
  });
export type GraphPayload = z.infer<typeof graphPayloadSchema>;

/** Index checks zod cannot express per field; a payload that fails them is refused whole. */
function payloadIndexProblems(payload: {
  graphs: readonly GraphView[];
  overlays: readonly Overlay[];
  diff: DiffView | null;
}): string[] {
  const problems: string[] = [];
  payload.graphs.forEach((g, gi) => {
    const nodeCount = g.nodes.length;
    const tensorCount = g.tensors.length;
    const groupCount = g.groups.length;
    if (g.owner && g.owner.graph >= payload.graphs.length) problems.push(`graph ${gi}: owner graph out of range`);
    g.groups.forEach((group, i) => {
      if (i === 0 ? group.parent !== -1 : group.parent < 0 || group.parent >= i) problems.push(`graph ${gi}: group ${i} has a bad parent`);
    });
    for (let i = 0; i < nodeCount && problems.length < 10; i++) {
      const n = g.nodes[i]!;
      if (n.group >= groupCount) problems.push(`graph ${gi}: node ${i} group out of range`);
      for (const t of n.inputs) if (t >= tensorCount) problems.push(`graph ${gi}: node ${i} input out of range`);
      for (const t of n.outputs) if (t < 0 || t >= tensorCount) problems.push(`graph ${gi}: node ${i} output out of range`);
      for (const s of n.subgraphs) if (s.graph >= payload.graphs.length) problems.push(`graph ${gi}: node ${i} subgraph out of range`);
    }
    for (const t of g.tensors) if (t.producer >= nodeCount) problems.push(`graph ${gi}: tensor producer out of range`);
  });
  for (const o of payload.overlays) {
    const g = payload.graphs[o.graph];
    if (!g) problems.push(`overlay ${o.id}: graph out of range`);
    else if (o.values.some(([n]) => n >= g.nodes.length)) problems.push(`overlay ${o.id}: node out of range`);
  }
  if (payload.diff) {
    const main = payload.graphs[0]!;
    if (payload.diff.status.length !== main.nodes.length) problems.push('diff: one status per node of graph 0 expected');
    if (payload.diff.changes.some((c) => c.node >= main.nodes.length)) problems.push('diff: change node out of range');
  }
  return problems.slice(0, 10);
}

export const weightStatsSchema = z.object({
  tensor: text,
  dtype: text,
  dims: z.array(z.number().int().min(0)),
  count: z.number().int().min(0),
  /** Values actually read (a huge tensor is sampled with a fixed stride). */
  sampled: z.number().int().min(0),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  zeros: z.number().int().min(0),
  nonFinite: z.number().int().min(0),
  histogram: z.object({ min: z.number(), max: z.number(), counts: z.array(z.number().int().min(0)).max(1024) }),
});
export type WeightStats = z.infer<typeof weightStatsSchema>;
