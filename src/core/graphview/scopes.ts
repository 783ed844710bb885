import { scopeSegments } from '../onnx/graph/scopes';
import type { GroupRow } from '../../protocol/graphRows';

/** Limits that keep every group small enough for one fast layered layout. */
export interface GroupingLimits {
  /** A group with more direct children than this is split into synthetic chunks. */
  readonly maxChildren: number;
  /** Children per synthetic chunk. */
  readonly chunkSize: number;
}

export const defaultGroupingLimits: GroupingLimits = { maxChildren: 120, chunkSize: 80 };

/**
 * Name scope of a node (the engine's scopeSegments: `/encoder/layer.3/attn/MatMul` lies in
 * `encoder › layer.3 › attn`). Unnamed nodes fall back to their first output's name: some
 * exporters leave nodes unnamed but scope their tensors.
 */
export function nameScope(nodeName: string, firstOutput: string | undefined): string[] {
  return nodeName === '' && firstOutput !== undefined ? scopeSegments(firstOutput) : scopeSegments(nodeName);
}

/** What grouping needs to know of each node besides its scope. */
export interface GroupingNodes {
  /** Op type of each node (for chunk labels). */
  readonly ops: readonly string[];
  /** Whether a node counts as structure: false for weight nodes and graph input/output pseudo nodes. */
  readonly real: ArrayLike<boolean | number>;
  /** Order in which nodes join their groups (default: index order); weight nodes go just before their consumer. */
  readonly order?: readonly number[];
}

interface TreeGroup {
  name: string;
  path: string;
  synthetic: boolean;
  children: Map<string, TreeGroup>;
  /** Direct children in first-appearance order: node indices (>= 0) or groups. */
  items: Array<number | TreeGroup>;
  size: number;
  /** Real nodes below the group, recursively. */
  real: number;
}

function newGroup(name: string, path: string, synthetic: boolean): TreeGroup {
  return { name, path, synthetic, children: new Map(), items: [], size: 0, real: 0 };
}

/**
 * Builds the group hierarchy from each node's scope (nodes in graph order, which ONNX keeps
 * topological). Returns groups in pre-order (a parent always precedes its children; group 0 is
 * the root) and each node's innermost group. Groups are scopes that hold structure: a scope
 * with at most one real node is no group, a scope wrapping the whole graph is none either,
 * and chunks (a last resort for too-wide scopes) are labelled by the ops they hold.
 */
export function buildGroups(
  scopes: ReadonlyArray<readonly string[]>,
  limits: GroupingLimits = defaultGroupingLimits,
  info?: GroupingNodes,
): { groups: GroupRow[]; nodeGroup: Int32Array } {
  const isReal = (node: number) => (info ? Boolean(info.real[node]) : true);
  const root = newGroup('', '', false);
  const order = info?.order ?? scopes.map((_, i) => i);
  order.forEach((node) => {
    const scope = scopes[node]!;
    const real = isReal(node) ? 1 : 0;
    let group = root;
    group.size++;
    group.real += real;
    for (const part of scope) {
      let child = group.children.get(part);
      if (!child) {
        child = newGroup(part, `${group.path}/${part}`, false);
        group.children.set(part, child);
        group.items.push(child);
      }
      group = child;
      group.size++;
      group.real += real;
    }
    group.items.push(node);
  });
  dissolveThinGroups(root);
  unwrapRoot(root, isReal);
  collapseSingleChildChains(root);
  splitWideGroups(root, limits, isReal, info?.ops);

  const groups: GroupRow[] = [];
  const nodeGroup = new Int32Array(scopes.length);
  const visit = (group: TreeGroup, parent: number) => {
    const index = groups.length;
    groups.push({ name: group.name, path: group.path, parent, size: group.size, synthetic: group.synthetic });
    for (const item of group.items) {
      if (typeof item === 'number') nodeGroup[item] = index;
      else visit(item, index);
    }
  };
  visit(root, -1);
  return { groups, nodeGroup };
}

/** A scope holding at most one real node (with any weight nodes) is no box: its nodes stand in its parent. */
function dissolveThinGroups(group: TreeGroup): void {
  const items: Array<number | TreeGroup> = [];
  for (const item of group.items) {
    if (typeof item === 'number') {
      items.push(item);
      continue;
    }
    dissolveThinGroups(item);
    if (item.real <= 1) items.push(...item.items);
    else items.push(item);
  }
  group.items = items;
}

/** A scope that wraps every real node (`StatefulPartitionedCall/model`) adds nothing: open it into the root. */
function unwrapRoot(root: TreeGroup, isReal: (node: number) => boolean): void {
  for (;;) {
    const groups = root.items.filter((i): i is TreeGroup => typeof i !== 'number');
    if (groups.length !== 1 || root.items.some((i) => typeof i === 'number' && isReal(i))) return;
    const only = groups[0]!;
    const at = root.items.indexOf(only);
    root.items.splice(at, 1, ...only.items);
  }
}

/** `/model/encoder` holding only `/model/encoder/layers` becomes one group `encoder/layers`. */
function collapseSingleChildChains(group: TreeGroup): void {
  for (let i = 0; i < group.items.length; i++) {
    const first = group.items[i]!;
    if (typeof first === 'number') continue;
    let item: TreeGroup = first;
    for (let only = item.items[0]; item.items.length === 1 && only !== undefined && typeof only !== 'number'; only = item.items[0]) {
      only.name = `${item.name}/${only.name}`;
      item = only;
    }
    group.items[i] = item;
    collapseSingleChildChains(item);
  }
}

function itemSize(item: number | TreeGroup): number {
  return typeof item === 'number' ? 1 : item.size;
}

/** `Conv×12, Relu×12, Add×4`: the most frequent real ops below some items. */
export function opSummary(items: ReadonlyArray<number | TreeGroup>, isReal: (node: number) => boolean, ops: readonly string[], top = 3): string {
  const counts = new Map<string, number>();
  const add = (item: number | TreeGroup) => {
    if (typeof item !== 'number') {
      for (const child of item.items) add(child);
      return;
    }
    if (!isReal(item)) return;
    const op = ops[item] ?? '?';
    counts.set(op, (counts.get(op) ?? 0) + 1);
  };
  for (const item of items) add(item);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, top).map(([op, n]) => (n > 1 ? `${op}×${n}` : op));
  return sorted.length > top ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * Too many direct children (weight nodes do not count): wrap consecutive runs of them in
 * synthetic chunk groups, each named by its position and the ops it holds.
 */
function splitWideGroups(group: TreeGroup, limits: GroupingLimits, isReal: (node: number) => boolean, ops: readonly string[] | undefined): void {
  for (const item of group.items) if (typeof item !== 'number') splitWideGroups(item, limits, isReal, ops);
  const counted = (items: ReadonlyArray<number | TreeGroup>) => items.reduce<number>((n, it) => n + (typeof it !== 'number' || isReal(it) ? 1 : 0), 0);
  while (counted(group.items) > limits.maxChildren) {
    const chunks: TreeGroup[] = [];
    let slice: Array<number | TreeGroup> = [];
    let inSlice = 0;
    let first = 1;
    let position = 0;
    const flush = () => {
      if (slice.length === 0) return;
      const label = `#${first}–${position}`;
      const summary = ops ? opSummary(slice, isReal, ops) : '';
      const chunk = newGroup(summary ? `${label} ${summary}` : label, `${group.path}/#${first}`, true);
      chunk.items = slice;
      chunk.size = slice.reduce<number>((sum, it) => sum + itemSize(it), 0);
      chunk.real = slice.reduce<number>((sum, it) => sum + (typeof it === 'number' ? (isReal(it) ? 1 : 0) : it.real), 0);
      chunks.push(chunk);
      slice = [];
      inSlice = 0;
      first = position + 1;
    };
    for (const item of group.items) {
      const counts = typeof item !== 'number' || isReal(item);
      if (counts && inSlice >= limits.chunkSize) flush();
      slice.push(item);
      if (counts) {
        position++;
        inSlice++;
      }
    }
    flush();
    group.items = chunks;
  }
}
