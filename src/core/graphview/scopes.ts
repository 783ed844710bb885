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

interface TreeGroup {
  name: string;
  path: string;
  synthetic: boolean;
  children: Map<string, TreeGroup>;
  /** Direct children in first-appearance order: node indices (>= 0) or groups. */
  items: Array<number | TreeGroup>;
  size: number;
}

function newGroup(name: string, path: string, synthetic: boolean): TreeGroup {
  return { name, path, synthetic, children: new Map(), items: [], size: 0 };
}

/**
 * Builds the group hierarchy from each node's scope (nodes in graph order, which ONNX keeps
 * topological). Returns groups in pre-order (a parent always precedes its children; group 0 is
 * the root) and each node's innermost group.
 */
export function buildGroups(
  scopes: ReadonlyArray<readonly string[]>,
  limits: GroupingLimits = defaultGroupingLimits,
): { groups: GroupRow[]; nodeGroup: Int32Array } {
  const root = newGroup('', '', false);
  const nodeTree: TreeGroup[] = new Array<TreeGroup>(scopes.length);
  scopes.forEach((scope, node) => {
    let group = root;
    group.size++;
    for (const part of scope) {
      let child = group.children.get(part);
      if (!child) {
        child = newGroup(part, `${group.path}/${part}`, false);
        group.children.set(part, child);
        group.items.push(child);
      }
      group = child;
      group.size++;
    }
    group.items.push(node);
    nodeTree[node] = group;
  });
  collapseSingleChildChains(root);
  splitWideGroups(root, limits);

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

/**
 * `/model/encoder` holding only `/model/encoder/layers` becomes one group `encoder/layers`;
 * a scope holding a single node is no group at all (the node stands in its parent).
 */
function collapseSingleChildChains(group: TreeGroup): void {
  for (let i = 0; i < group.items.length; i++) {
    const first = group.items[i]!;
    if (typeof first === 'number') continue;
    if (first.items.length === 1 && typeof first.items[0] === 'number') {
      group.items[i] = first.items[0];
      continue;
    }
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

/** Too many direct children: wrap consecutive runs of them in synthetic chunk groups. */
function splitWideGroups(group: TreeGroup, limits: GroupingLimits): void {
  for (const item of group.items) if (typeof item !== 'number') splitWideGroups(item, limits);
  while (group.items.length > limits.maxChildren) {
    const chunks: TreeGroup[] = [];
    for (let start = 0; start < group.items.length; start += limits.chunkSize) {
      const slice = group.items.slice(start, start + limits.chunkSize);
      const chunk = newGroup(`#${start + 1}–${start + slice.length}`, `${group.path}/#${start + 1}`, true);
      chunk.items = slice;
      chunk.size = slice.reduce<number>((sum, it) => sum + itemSize(it), 0);
      chunks.push(chunk);
    }
    group.items = chunks;
  }
}
