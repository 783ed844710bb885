import type { AttributeValue, Graph, Model, Node, Tensor, TypeProto, ValueInfo } from '../model';
import { dtypeName } from '../shape/dtypes';
import { nodeLabel } from '../graph/subgraphs';
import { lenientOrder } from '../graph/topo';
import { weightDelta, type WeightDelta } from './weightDelta';
import { ContentHasher, type HashLimits, type SampledWeight } from './contentHash';

export interface DiffNodeRef {
  readonly node: string;
  readonly op: string;
}

export interface DiffNodeChange {
  /** Label in model B (name, or `<op>#<index>` for unnamed nodes); `was` holds A's label when it differs. */
  readonly node: string;
  readonly op: string;
  readonly was?: string;
  /** One line per difference: op type, attribute, wiring, weight shape or content, subgraph body. */
  readonly what: readonly string[];
  /** Numeric weights (inputs or tensor attributes) whose values changed, with how much. */
  readonly weights?: readonly ChangedWeight[];
}

/** A weight of equal dtype and shape in both models whose values differ. */
export interface ChangedWeight extends WeightDelta {
  /** The tensor's name in B (or `attribute <name>` for a tensor attribute such as Constant's value). */
  readonly tensor: string;
  /** Input position, or -1 for an attribute. */
  readonly input: number;
}

export interface DiffValueChange {
  readonly name: string;
  readonly what: string;
}

export interface DiffIo {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly DiffValueChange[];
}

export interface ModelDiff {
  /** Nodes only in B. */
  readonly added: readonly DiffNodeRef[];
  /** Nodes only in A. */
  readonly removed: readonly DiffNodeRef[];
  readonly changed: readonly DiffNodeChange[];
  readonly inputs: DiffIo;
  readonly outputs: DiffIo;
  readonly opsets: ReadonlyArray<{ readonly domain: string; readonly a: number | null; readonly b: number | null }>;
  readonly irVersion: { readonly a: number; readonly b: number } | null;
  /** Nodes matched by name, by structure, and left unmatched. */
  readonly matching: { readonly byName: number; readonly byStructure: number };
  /** Every matched pair of main-graph nodes as [label in A, label in B] (A's order). */
  readonly pairs: ReadonlyArray<readonly [a: string, b: string]>;
  readonly identical: boolean;
  /**
   * Weights too big to hash whole (or past the diff's hashing budget), compared by their length
   * and sampled blocks: equal samples are reported as unchanged but do not prove it.
   */
  readonly sampledWeights?: readonly SampledWeight[];
}

export interface DiffOptions extends HashLimits {
  readonly signal?: AbortSignal;
}

/**
 * Structural diff of two models. Nodes are matched by name first (unique non-empty names),
 * then by structure: same op type with the same outputs, the same inputs, or inputs that come
 * from already matched producers (so renamed nodes and renamed tensors still match). Matched
 * nodes are compared on op type, attributes, input/output wiring, weight dtype and shape, and
 * weight content (SHA-256 of the bytes, read lazily and only for matched weights of equal shape).
 */
export async function diffModels(a: Model, b: Model, options: DiffOptions = {}): Promise<ModelDiff> {
  const hashes = new ContentHasher(options);
  const graphDiff = await diffGraphs(a.graph, b.graph, hashes, options.signal);
  const opsets = diffOpsets(a, b);
  const irVersion = a.irVersion === b.irVersion ? null : { a: Number(a.irVersion), b: Number(b.irVersion) };
  const inputs = diffValues(realInputs(a.graph), realInputs(b.graph));
  const outputs = diffValues(a.graph.outputs, b.graph.outputs);
  const identical =
    graphDiff.added.length === 0 && graphDiff.removed.length === 0 && graphDiff.changed.length === 0 && opsets.length === 0 && irVersion === null &&
    [inputs, outputs].every((d) => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0);
  const sampledWeights = hashes.sampled;
  return { ...graphDiff, inputs, outputs, opsets, irVersion, identical, ...(sampledWeights.length > 0 ? { sampledWeights } : {}) };
}

/** Graph inputs that are not initializers (older exporters list every initializer as an input too). */
function realInputs(g: Graph): ValueInfo[] {
  const initializers = new Set(g.initializers.map((t) => t.name));
  return g.inputs.filter((v) => !initializers.has(v.name));
}

interface GraphDiff {
  readonly added: DiffNodeRef[];
  readonly removed: DiffNodeRef[];
  readonly changed: DiffNodeChange[];
  readonly matching: { byName: number; byStructure: number };
  readonly pairs: Array<readonly [string, string]>;
}

class Side {
  readonly producers = new Map<string, { node: number; output: number }>();
  readonly initializers = new Map<string, Tensor>();
  readonly constants = new Map<string, Tensor>();
  readonly inputIndex = new Map<string, number>();
  readonly order: readonly number[];

  constructor(readonly graph: Graph) {
    graph.nodes.forEach((n, i) => {
      n.outputs.forEach((o, k) => o && this.producers.set(o, { node: i, output: k }));
      if (n.opType === 'Constant') {
        const v = n.attributes.find((x) => x.name === 'value')?.value;
        if (v?.type === 'tensor' && n.outputs[0]) this.constants.set(n.outputs[0], v.value);
      }
    });
    for (const t of graph.initializers) this.initializers.set(t.name, t);
    graph.inputs.forEach((v, i) => this.inputIndex.set(v.name, i));
    this.order = lenientOrder(graph, { has: () => true });
  }

  weight(name: string): Tensor | undefined {
    return this.initializers.get(name) ?? this.constants.get(name);
  }

  /** Where an input comes from, in this side's terms (nodes by index). */
  source(name: string, mapNode: (i: number) => number | undefined): string {
    if (name === '') return '-';
    const p = this.producers.get(name);
    if (p) {
      const producerNode = this.graph.nodes[p.node];
      if (producerNode?.opType === 'Constant') return `w:${weightKey(this.constants.get(name))}`;
      const mapped = mapNode(p.node);
      return mapped === undefined ? `?${name}` : `n${mapped}:${p.output}`;
    }
    const w = this.initializers.get(name);
    if (w) return `w:${weightKey(w)}`;
    const idx = this.inputIndex.get(name);
    return idx === undefined ? `outer:${name}` : `in:${idx}`;
  }
}

function weightKey(t: Tensor | undefined): string {
  return t ? `${t.dataType}[${t.dims.join(',')}]` : '?';
}

async function diffGraphs(ga: Graph, gb: Graph, hashes: ContentHasher, signal: AbortSignal | undefined): Promise<GraphDiff> {
  const A = new Side(ga);
  const B = new Side(gb);
  const aToB = new Map<number, number>();
  const bToA = new Map<number, number>();
  const pair = (i: number, j: number) => {
    aToB.set(i, j);
    bToA.set(j, i);
  };
  // 1. Unique non-empty names.
  const uniqueNames = (g: Graph) => {
    const seen = new Map<string, number>();
    const dup = new Set<string>();
    g.nodes.forEach((n, i) => {
      if (!n.name) return;
      if (seen.has(n.name)) dup.add(n.name);
      seen.set(n.name, i);
    });
    for (const d of dup) seen.delete(d);
    return seen;
  };
  const namesB = uniqueNames(gb);
  for (const [name, i] of uniqueNames(ga)) {
    const j = namesB.get(name);
    if (j !== undefined) pair(i, j);
  }
  const byName = aToB.size;
  // 2. Structure: same op and outputs, same op and inputs, then same op and matched input sources.
  const keyed = (key: (n: Node, side: Side, i: number) => string | undefined) => {
    const index = new Map<string, number[]>();
    gb.nodes.forEach((n, j) => {
      if (bToA.has(j)) return;
      const k = key(n, B, j);
      if (k === undefined) return;
      const list = index.get(k);
      if (list) list.push(j);
      else index.set(k, [j]);
    });
    for (const i of A.order) {
      if (aToB.has(i)) continue;
      const n = ga.nodes[i] as Node;
      const k = key(n, A, i);
      const candidates = k === undefined ? undefined : index.get(k)?.filter((j) => !bToA.has(j));
      const j = candidates?.[0];
      if (j !== undefined) pair(i, j);
    }
  };
  keyed((n) => (n.outputs.some((o) => o) ? `${n.domain}:${n.opType}|out:${n.outputs.join(',')}` : undefined));
  keyed((n) => (n.inputs.some((x) => x) ? `${n.domain}:${n.opType}|in:${n.inputs.join(',')}` : undefined));
  for (let pass = 0; pass < 3; pass++) {
    const before = aToB.size;
    keyed((n, side) => `${n.domain}:${n.opType}|src:${n.inputs.map((x) => side.source(x, side === A ? (p) => aToB.get(p) : (p) => p)).join(',')}`);
    if (aToB.size === before) break;
  }
  const byStructure = aToB.size - byName;

  const removed: DiffNodeRef[] = [];
  const added: DiffNodeRef[] = [];
  const changed: DiffNodeChange[] = [];
  const pairs: Array<readonly [string, string]> = [];
  for (const i of A.order) {
    const n = ga.nodes[i] as Node;
    const j = aToB.get(i);
    if (j === undefined) {
      removed.push({ node: nodeLabel(n, i), op: n.opType });
      continue;
    }
    pairs.push([nodeLabel(n, i), nodeLabel(gb.nodes[j] as Node, j)]);
    signal?.throwIfAborted();
    const m = gb.nodes[j] as Node;
    const { what, weights } = await compareNodes(n, m, A, B, aToB, hashes, signal);
    if (what.length > 0) {
      const label = nodeLabel(m, j);
      const was = nodeLabel(n, i);
      changed.push({ node: label, op: m.opType, ...(was !== label ? { was } : {}), what, ...(weights.length > 0 ? { weights } : {}) });
    }
  }
  for (const j of B.order) {
    if (!bToA.has(j)) {
      const m = gb.nodes[j] as Node;
      added.push({ node: nodeLabel(m, j), op: m.opType });
    }
  }
  return { added, removed, changed, matching: { byName, byStructure }, pairs };
}

async function compareNodes(
  a: Node,
  b: Node,
  A: Side,
  B: Side,
  aToB: ReadonlyMap<number, number>,
  hashes: ContentHasher,
  signal: AbortSignal | undefined,
): Promise<{ what: string[]; weights: ChangedWeight[] }> {
  const what: string[] = [];
  const weights: ChangedWeight[] = [];
  if (a.opType !== b.opType || a.domain !== b.domain) what.push(`op ${qualified(a)} -> ${qualified(b)}`);
  for (const line of await compareAttributes(a, b, hashes, weights, signal)) what.push(line);
  if (a.inputs.length !== b.inputs.length) what.push(`inputs: ${a.inputs.length} -> ${b.inputs.length}`);
  const n = Math.max(a.inputs.length, b.inputs.length);
  for (let k = 0; k < n; k++) {
    const ia = a.inputs[k] ?? '';
    const ib = b.inputs[k] ?? '';
    const wa = ia ? A.weight(ia) : undefined;
    const wb = ib ? B.weight(ib) : undefined;
    if (wa && wb) {
      const w = await compareTensors(wa, wb, hashes, signal);
      if (w) what.push(`weight ${ib} (input ${k}): ${w.text}`);
      if (w?.delta) weights.push({ tensor: ib, input: k, ...w.delta });
      continue;
    }
    const sa = A.source(ia, (p) => aToB.get(p));
    const sb = B.source(ib, (p) => p);
    if (sa !== sb && k < a.inputs.length && k < b.inputs.length) what.push(`input ${k}: ${ia || '(none)'} -> ${ib || '(none)'}`);
  }
  if (a.outputs.length !== b.outputs.length) what.push(`outputs: ${a.outputs.length} -> ${b.outputs.length}`);
  return { what, weights };
}

function qualified(n: Node): string {
  return n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
}

/** How two weights differ: a line for `what`, and for numeric weights of equal dtype and shape the size of the change. */
async function compareTensors(a: Tensor, b: Tensor, hashes: ContentHasher, signal: AbortSignal | undefined): Promise<{ text: string; delta?: WeightDelta } | undefined> {
  if (a.dataType !== b.dataType) return { text: `dtype ${dtypeName(a.dataType)} -> ${dtypeName(b.dataType)}` };
  if (a.dims.join(',') !== b.dims.join(',')) return { text: `shape [${a.dims.join(',')}] -> [${b.dims.join(',')}]` };
  if (a.data.byteLength !== undefined && b.data.byteLength !== undefined && a.data.byteLength !== b.data.byteLength) return { text: 'content changed (different byte length)' };
  const h = await hashes.pair(a, b, signal);
  if (h.a === h.b) return undefined;
  const hash = h.sampled ? 'compared by sampled blocks: too big to hash whole' : `sha256 ${h.a.slice(0, 12)} -> ${h.b.slice(0, 12)}`;
  const delta = h.sampled ? undefined : await weightDelta(a, b, signal);
  if (!delta) return { text: `content changed (${hash})` };
  return { text: `content changed (max |Δ| ${delta.maxAbsDiff.toPrecision(3)}, relative L2 ${delta.relativeL2 === null ? 'n/a (base is all zero)' : delta.relativeL2.toPrecision(3)}; ${hash})`, delta };
}

async function compareAttributes(a: Node, b: Node, hashes: ContentHasher, weights: ChangedWeight[], signal: AbortSignal | undefined): Promise<string[]> {
  const what: string[] = [];
  const bAttrs = new Map(b.attributes.map((x) => [x.name, x.value]));
  const aAttrs = new Map(a.attributes.map((x) => [x.name, x.value]));
  for (const [name, va] of aAttrs) {
    const vb = bAttrs.get(name);
    if (!vb) {
      what.push(`attribute ${name} removed (was ${showAttr(va)})`);
      continue;
    }
    if (va.type === 'graph' && vb.type === 'graph') {
      const sub = await diffGraphs(va.value, vb.value, hashes, signal);
      if (sub.added.length + sub.removed.length + sub.changed.length > 0) {
        what.push(`subgraph ${name}: ${sub.added.length} added, ${sub.removed.length} removed, ${sub.changed.length} changed nodes`);
      }
      continue;
    }
    if (va.type === 'tensor' && vb.type === 'tensor') {
      const t = await compareTensors(va.value, vb.value, hashes, signal);
      if (t) what.push(`attribute ${name}: ${t.text}`);
      if (t?.delta) weights.push({ tensor: `attribute ${name}`, input: -1, ...t.delta });
      continue;
    }
    if (!sameAttr(va, vb)) what.push(`attribute ${name}: ${showAttr(va)} -> ${showAttr(vb)}`);
  }
  for (const [name, vb] of bAttrs) if (!aAttrs.has(name)) what.push(`attribute ${name} added (${showAttr(vb)})`);
  return what;
}

const utf8 = new TextDecoder();

/** Longest attribute text in a change line: a 2 MB string or a 200,000-int list is not echoed whole. */
const SHOWN_ATTR_CHARS = 200;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

// NaN equals NaN and -0 equals 0 here, as their texts did when attributes were compared as text.
const sameFloat = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));

/**
 * Whether two attribute values are equal, compared value by value: turning big attributes into
 * text to compare them took 14 s and 1.9 GB for one 75 MB strings attribute.
 */
function sameAttr(a: AttributeValue, b: AttributeValue): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'int':
      return a.value === (b as typeof a).value;
    case 'float':
      return sameFloat(a.value, (b as typeof a).value);
    case 'string':
      return sameBytes(a.value, (b as typeof a).value);
    case 'ints':
      return sameList(a.value, (b as typeof a).value, (x, y) => x === y);
    case 'floats':
      return sameList(a.value, (b as typeof a).value, sameFloat);
    case 'strings':
      return sameList(a.value, (b as typeof a).value, sameBytes);
    default:
      return attrText(a) === attrText(b);
  }
}

function showAttr(v: AttributeValue): string {
  const text = attrText(v);
  if (text.length <= SHOWN_ATTR_CHARS) return text;
  const size = v.type === 'string' ? `${v.value.length} bytes` : v.type === 'ints' || v.type === 'floats' || v.type === 'strings' ? `${v.value.length} values` : `${text.length} characters`;
  return `${text.slice(0, SHOWN_ATTR_CHARS)}… (${size})`;
}

/** An attribute as text; a list or string is cut after enough characters to show, so its text stays small. */
function attrText(v: AttributeValue): string {
  const enough = SHOWN_ATTR_CHARS + 1;
  switch (v.type) {
    case 'int':
      return String(v.value);
    case 'float':
      return String(v.value);
    case 'string':
      return JSON.stringify(utf8.decode(v.value.subarray(0, enough * 4)));
    case 'ints':
    case 'floats':
      return `[${v.value.slice(0, enough).join(',')}]`;
    case 'strings':
      return `[${v.value.slice(0, enough).map((s) => JSON.stringify(utf8.decode(s.subarray(0, enough * 4)))).join(',')}]`;
    case 'tensor':
      return `tensor ${dtypeName(v.value.dataType)}[${v.value.dims.join(',')}]`;
    case 'graph':
      return `graph ${v.value.name} (${v.value.nodes.length} nodes)`;
    case 'graphs':
      return `${v.value.length} graphs`;
    case 'tensors':
      return `${v.value.length} tensors`;
    default:
      return v.type;
  }
}

function showType(t: TypeProto | undefined): string {
  if (t?.kind !== 'tensor') return t?.kind ?? 'untyped';
  const shape = t.shape ? `[${t.shape.map((d) => (d === undefined || d === '' ? '?' : String(d))).join(',')}]` : '';
  return `${dtypeName(t.elemType)}${shape}`;
}

function diffValues(a: readonly ValueInfo[], b: readonly ValueInfo[]): DiffIo {
  const mapB = new Map(b.map((v) => [v.name, v]));
  const mapA = new Map(a.map((v) => [v.name, v]));
  const changed: DiffValueChange[] = [];
  for (const va of a) {
    const vb = mapB.get(va.name);
    if (!vb) continue;
    const ta = showType(va.type);
    const tb = showType(vb.type);
    if (ta !== tb) changed.push({ name: va.name, what: `${ta} -> ${tb}` });
  }
  return {
    added: b.filter((v) => !mapA.has(v.name)).map((v) => v.name),
    removed: a.filter((v) => !mapB.has(v.name)).map((v) => v.name),
    changed,
  };
}

function diffOpsets(a: Model, b: Model): Array<{ domain: string; a: number | null; b: number | null }> {
  const norm = (m: Model) => new Map(m.opsetImports.map((o) => [o.domain === '' ? 'ai.onnx' : o.domain, Number(o.version)]));
  const oa = norm(a);
  const ob = norm(b);
  const out: Array<{ domain: string; a: number | null; b: number | null }> = [];
  for (const domain of new Set([...oa.keys(), ...ob.keys()])) {
    const va = oa.get(domain) ?? null;
    const vb = ob.get(domain) ?? null;
    if (va !== vb) out.push({ domain, a: va, b: vb });
  }
  return out;
}
