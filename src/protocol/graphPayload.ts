import * as z from 'zod/mini';

/**
 * The graph view model the extension host (or the HTML export) hands to the graph webview.
 * Everything in here comes from an untrusted model file: the webview shows strings as text,
 * never as markup. Nodes, tensors and groups travel as columns (one array per field): a
 * 50,000-node graph then parses and validates in a fraction of the time rows would take.
 * `graphRows.ts` converts between columns and rows.
 */

// zod/mini keeps the webview bundle small (the classic API adds ~0.8 MB).
const text = z.string().check(z.maxLength(1_000_000));
const int = (min: number) => z.int().check(z.gte(min));
const index = int(0);

/** A dimension: a size, a symbolic name, or unknown (`null`). */
export const dimSchema = z.union([int(0), text, z.null()]);
export type Dim = z.infer<typeof dimSchema>;

/*
 * Column validators: one tight loop per array instead of one zod call per element, so a
 * 50,000-node graph validates in milliseconds. Each checks every element.
 */
const maxText = 1_000_000;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= maxText;
const isInt = (min: number) => (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= min;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isDim = (v: unknown): v is Dim => v === null || isText(v) || isInt(0)(v);
const isShape = (v: unknown): v is Dim[] | null => v === null || (Array.isArray(v) && v.every(isDim));
function column<T>(what: string, ok: (v: unknown) => v is T) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), { message: `expected an array of ${what}` });
}
const textColumn = column('strings', isText);
const intColumn = (min: number) => column(`integers >= ${min}`, isInt(min));
const countColumn = column('non-negative numbers', isCount);
const boolColumn = column('booleans', (v): v is boolean => typeof v === 'boolean');

export const attributeViewSchema = z.object({ node: index, name: text, type: text, value: text });
export type AttributeView = z.infer<typeof attributeViewSchema>;

export const nodeKindSchema = z.enum(['op', 'input', 'output']);
export type NodeKind = z.infer<typeof nodeKindSchema>;
const isKind = (v: unknown): v is NodeKind => v === 'op' || v === 'input' || v === 'output';

/*
 * Names are front-coded: entry i stores how many leading characters it shares with name i-1
 * (`namePrefix`) and the rest (`name`). Scoped names in graph order share long prefixes, so
 * this halves a big graph's payload; `namesOf` in graphRows.ts decodes.
 */
export const nodeColumnsSchema = z.object({
  name: textColumn,
  namePrefix: intColumn(0),
  /** Index into the graph's `strings` table. */
  op: intColumn(0),
  domain: intColumn(0),
  kind: column('node kinds', isKind),
  /** Innermost group (0 is the root group). */
  group: intColumn(0),
  /** Tensor indices of all nodes' inputs, concatenated; -1 marks an omitted optional input. */
  inputs: intColumn(-1),
  /** Node i's inputs are inputs[inputStart[i] .. inputStart[i+1]); one more entry than nodes. */
  inputStart: intColumn(0),
  /** Per node: how many of its last inputs are values its If/Loop/Scan bodies read from this graph (absent: none). */
  captures: z.optional(intColumn(0)),
  outputs: intColumn(0),
  outputStart: intColumn(0),
  /** Floating-point operations of one inference; `null` when shapes are unknown. */
  flops: column('FLOP counts or null', (v): v is number | null => v === null || isCount(v)),
  params: countColumn,
  /**
   * A node that only computes weights (`Constant`, `Identity` of an initializer,
   * `DequantizeLinear` of a constant, …): drawn as weight inputs of its consumers unless the
   * view shows weight nodes. The model itself is not changed.
   */
  folded: boolColumn,
});

export const tensorColumnsSchema = z.object({
  name: textColumn,
  namePrefix: intColumn(0),
  /** Index into `strings`: `float32`, `int8`, … ('' when unknown). */
  dtype: intColumn(0),
  /** `null` when the rank is unknown. */
  shape: column('shapes', isShape),
  /** Producing node (graph-input pseudo nodes produce graph inputs); -1: initializer or outer scope. */
  producer: intColumn(-1),
  initializer: boolColumn,
  /** Element count of a weight (for params), else 0. */
  elements: countColumn,
  /** Known without running the model: an initializer, or the output of a folded weight node. */
  weight: boolColumn,
});

/** Name-scope groups (`/encoder/layer.3/attn`) and synthetic chunks of too-wide scopes; 0 is the root. */
export const groupColumnsSchema = z.object({
  name: textColumn,
  /** -1 for the root; otherwise an earlier group. */
  parent: intColumn(-1),
  /** Nodes below the group, recursively. */
  size: intColumn(0),
  synthetic: boolColumn,
});

export const graphViewSchema = z.object({
  /** Stable within a payload: `main`, `main/If_3/then_branch`, … */
  id: text,
  title: text,
  /** The graph and node that own this subgraph, for If/Loop/Scan bodies. */
  owner: z.nullable(z.object({ graph: index, node: index, attribute: text })),
  /** Interned op types, domains and dtypes. */
  strings: z.array(text),
  nodes: nodeColumnsSchema,
  tensors: tensorColumnsSchema,
  groups: groupColumnsSchema,
  attributes: z.array(attributeViewSchema),
  docs: z.array(z.tuple([index, text])),
  subgraphs: z.array(z.object({ node: index, attribute: text, graph: index })),
  /** Display values of small weights (`1`, `[0, 2]`, `16000`) by tensor index. */
  values: z.array(z.tuple([index, text])),
});
export type GraphView = z.infer<typeof graphViewSchema>;

/** Per-node values drawn as colours (FLOPs, params, latency, quantization error, …). */
export const overlaySchema = z.object({
  id: z.string().check(z.regex(/^[a-zA-Z][\w.-]{0,63}$/)),
  label: text,
  unit: text,
  graph: index,
  /** Parallel arrays: node index and its value; nodes without a value are drawn neutral. */
  nodes: intColumn(0),
  values: column('finite numbers', (v): v is number => typeof v === 'number' && Number.isFinite(v)),
  /** Log scale spreads values over orders of magnitude (FLOPs). */
  scale: z.enum(['linear', 'log']),
});
export type Overlay = z.infer<typeof overlaySchema>;

export const diffStatusSchema = z.enum(['same', 'added', 'removed', 'changed']);
export type DiffStatus = 'same' | 'added' | 'removed' | 'changed';

/**
 * Diff mode. Merged view: graph 0 is the merged graph (nodes of B plus the removed nodes of A).
 * Side by side: each pane's graph 0 is its own model, coloured by what happened to its nodes.
 */
export const diffViewSchema = z.object({
  baseTitle: text,
  otherTitle: text,
  /** One status per node of graph 0. */
  status: column('diff statuses', (v): v is DiffStatus => v === 'same' || v === 'added' || v === 'removed' || v === 'changed'),
  changes: z.array(
    z.object({
      node: index,
      what: z.array(text),
      /** Numeric weights whose values changed: largest absolute difference and ||b - a|| / ||a|| (null: base all zero). */
      weights: z.optional(z.array(z.object({ tensor: text, input: int(-1), maxAbsDiff: z.number(), relativeL2: z.nullable(z.number()), nonFinite: int(0) }))),
    }),
  ),
  /** Side-by-side mode: which model this pane shows (absent in the merged view). */
  side: z.optional(z.enum(['base', 'other'])),
});
export type DiffView = z.infer<typeof diffViewSchema>;

/** Sizes used for one graph input (see core/onnx/shape/inputSizes.ts). */
export const inputSizeSchema = z.object({
  name: text,
  /** Declared dims; null when the rank is unknown. */
  declared: z.nullable(z.array(dimSchema)),
  /** Sizes shapes and FLOPs were computed for; null when unknown. */
  dims: z.nullable(z.array(int(0))),
  /** Per dim: fixed in the model, given (use case, user) or defaulted. */
  sources: z.array(z.enum(['model', 'given', 'default'])),
});
export type InputSizeView = z.infer<typeof inputSizeSchema>;

/** Model totals: the same figures `aios inspect` prints for the same sizes. */
export const modelTotalsSchema = z.object({
  /** Initializer and Constant-node elements in every graph. */
  params: z.number().check(z.gte(0)),
  /** Sum over nodes of known cost; null when no node's cost is known. */
  flops: z.nullable(z.number().check(z.gte(0))),
  macs: z.nullable(z.number().check(z.gte(0))),
  /** Nodes whose cost is unknown: `flops` is then a lower bound. */
  unknownCostNodes: int(0),
  inputSizes: z.array(inputSizeSchema),
});
export type ModelTotals = z.infer<typeof modelTotalsSchema>;

export const modelInfoSchema = z.object({
  irVersion: text,
  opsets: z.array(z.object({ domain: text, version: text })),
  producer: text,
  doc: text,
  metadata: z.array(z.object({ key: text, value: text })),
  /** Null when the analysis failed (then the figures are unknown). */
  totals: z.nullable(modelTotalsSchema),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const graphPayloadSchema = z
  .object({
    version: z.literal(1),
    title: text,
    model: modelInfoSchema,
    graphs: z.array(graphViewSchema).check(z.minLength(1)),
    overlays: z.array(overlaySchema),
    diff: z.nullable(diffViewSchema),
  })
  .check(
    z.superRefine((payload, ctx) => {
      for (const problem of payloadProblems(payload)) ctx.addIssue({ code: 'custom', message: problem, input: payload });
    }),
  );
export type GraphPayload = z.infer<typeof graphPayloadSchema>;

/** Consistency checks zod cannot express per field; a payload that fails them is refused whole. */
export function payloadProblems(payload: { graphs: readonly GraphView[]; overlays: readonly Overlay[]; diff: DiffView | null }): string[] {
  const problems: string[] = [];
  const graphCount = payload.graphs.length;
  payload.graphs.forEach((g, gi) => {
    const where = `graph ${gi}`;
    const n = g.nodes.name.length;
    const t = g.tensors.name.length;
    const groups = g.groups.name.length;
    const s = g.strings.length;
    const same = (what: string, length: number, expected: number) => length !== expected && problems.push(`${where}: ${what} has ${length} entries, expected ${expected}`);
    for (const key of ['namePrefix', 'op', 'domain', 'kind', 'group', 'flops', 'params', 'folded'] as const) same(`nodes.${key}`, g.nodes[key].length, n);
    same('nodes.inputStart', g.nodes.inputStart.length, n + 1);
    if (g.nodes.captures) {
      same('nodes.captures', g.nodes.captures.length, n);
      if (g.nodes.captures.some((c, i) => c > (g.nodes.inputStart[i + 1] ?? 0) - (g.nodes.inputStart[i] ?? 0))) problems.push(`${where}: a node has more captures than inputs`);
    }
    same('nodes.outputStart', g.nodes.outputStart.length, n + 1);
    for (const key of ['namePrefix', 'dtype', 'shape', 'producer', 'initializer', 'elements', 'weight'] as const) same(`tensors.${key}`, g.tensors[key].length, t);
    const prefixes = (what: string, prefix: readonly number[], suffix: readonly string[]) => {
      let previous = 0;
      for (let i = 0; i < prefix.length; i++) {
        if (prefix[i]! > previous) {
          problems.push(`${where}: ${what} ${i} shares more characters than the previous name has`);
          return;
        }
        previous = prefix[i]! + (suffix[i]?.length ?? 0);
        if (previous > maxText) {
          problems.push(`${where}: ${what} ${i} is too long`);
          return;
        }
      }
    };
    prefixes('node name', g.nodes.namePrefix, g.nodes.name);
    prefixes('tensor name', g.tensors.namePrefix, g.tensors.name);
    for (const key of ['parent', 'size', 'synthetic'] as const) same(`groups.${key}`, g.groups[key].length, groups);
    if (groups < 1 || g.groups.parent[0] !== -1) problems.push(`${where}: group 0 must be the root`);
    for (let i = 1; i < groups; i++) {
      const parent = g.groups.parent[i]!;
      if (parent < 0 || parent >= i) {
        problems.push(`${where}: group ${i} has a bad parent`);
        break;
      }
    }
    const ranges = (what: string, values: readonly number[], limit: number) => {
      for (const v of values) {
        if (v >= limit) {
          problems.push(`${where}: ${what} out of range`);
          return;
        }
      }
    };
    ranges('op', g.nodes.op, s);
    ranges('domain', g.nodes.domain, s);
    ranges('group', g.nodes.group, groups);
    ranges('input', g.nodes.inputs, t);
    ranges('output', g.nodes.outputs, t);
    ranges('dtype', g.tensors.dtype, s);
    ranges('producer', g.tensors.producer, n);
    ranges('attribute node', g.attributes.map((a) => a.node), n);
    ranges('doc node', g.docs.map((d) => d[0]), n);
    ranges('value tensor', g.values.map((v) => v[0]), t);
    ranges('subgraph node', g.subgraphs.map((x) => x.node), n);
    ranges('subgraph', g.subgraphs.map((x) => x.graph), graphCount);
    const starts = (what: string, start: readonly number[], total: number) => {
      if (start.length === 0) return;
      if (start[0] !== 0 || start[start.length - 1] !== total) problems.push(`${where}: ${what} must run from 0 to ${total}`);
      for (let i = 1; i < start.length; i++) {
        if (start[i]! < start[i - 1]!) {
          problems.push(`${where}: ${what} must not decrease`);
          return;
        }
      }
    };
    starts('nodes.inputStart', g.nodes.inputStart, g.nodes.inputs.length);
    starts('nodes.outputStart', g.nodes.outputStart, g.nodes.outputs.length);
    if (g.owner && g.owner.graph >= graphCount) problems.push(`${where}: owner graph out of range`);
  });
  for (const o of payload.overlays) {
    const g = payload.graphs[o.graph];
    if (!g) problems.push(`overlay ${o.id}: graph out of range`);
    else {
      if (o.nodes.length !== o.values.length) problems.push(`overlay ${o.id}: one value per node expected`);
      if (o.nodes.some((node) => node >= g.nodes.name.length)) problems.push(`overlay ${o.id}: node out of range`);
    }
  }
  if (payload.diff) {
    const main = payload.graphs[0]!;
    if (payload.diff.status.length !== main.nodes.name.length) problems.push('diff: one status per node of graph 0 expected');
    if (payload.diff.changes.some((c) => c.node >= main.nodes.name.length)) problems.push('diff: change node out of range');
  }
  return problems.slice(0, 10);
}

export const weightStatsSchema = z.object({
  tensor: text,
  dtype: text,
  dims: z.array(int(0)),
  count: int(0),
  /** Values actually read (a huge tensor is sampled with a fixed stride). */
  sampled: int(0),
  min: z.nullable(z.number()),
  max: z.nullable(z.number()),
  mean: z.nullable(z.number()),
  std: z.nullable(z.number()),
  zeros: int(0),
  nonFinite: int(0),
  histogram: z.object({ min: z.number(), max: z.number(), counts: z.array(int(0)).check(z.maxLength(1024)) }),
});
export type WeightStats = z.infer<typeof weightStatsSchema>;
