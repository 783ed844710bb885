import type { Node } from '../model';
import { nameRecord } from '../../safeRecord';

export interface ScopeGroup {
  /** Last segment ('' for the root). */
  readonly name: string;
  /** Segments joined with '/' ('' for the root). */
  readonly path: string;
  readonly children: ScopeGroup[];
  /** Indices (in the node list given) of the nodes directly in this group. */
  readonly nodes: number[];
  /** Nodes in this group and all groups below it. */
  totalNodes: number;
  /** Op type -> count, over this group and all groups below it. */
  readonly opCounts: Record<string, number>;
}

/**
 * The groups a node name belongs to, outermost first (the last segment is the node itself):
 * `/encoder/layer.3/attn/MatMul` -> [encoder, layer.3, attn]. Names without '/' are split on
 * '::', else on '.' (keeping numeric indices with their parent: `encoder.layer.3.fc` ->
 * [encoder, layer.3]). Names with no separator belong to the root.
 */
export function scopeSegments(name: string): string[] {
  const trimmed = name.trim();
  let parts: string[];
  if (trimmed.includes('/')) parts = trimmed.split('/');
  else if (trimmed.includes('::')) parts = trimmed.split('::');
  else if (trimmed.includes('.')) {
    parts = [];
    for (const p of trimmed.split('.')) {
      const prev = parts[parts.length - 1];
      if (/^\d+$/.test(p) && prev !== undefined) parts[parts.length - 1] = `${prev}.${p}`;
      else parts.push(p);
    }
  } else return [];
  parts = parts.filter((p) => p !== '');
  return parts.slice(0, -1);
}

function group(name: string, path: string): ScopeGroup {
  return { name, path, children: [], nodes: [], totalNodes: 0, opCounts: nameRecord<number>() };
}

/** Nested groups from node names, with node counts and op histograms per group (children in first-seen order). */
export function scopeTree(nodes: readonly Node[]): ScopeGroup {
  const root = group('', '');
  const index = new Map<string, ScopeGroup>([['', root]]);
  nodes.forEach((node, i) => {
    let at = root;
    const chain = [root];
    for (const seg of scopeSegments(node.name)) {
      const path = at.path ? `${at.path}/${seg}` : seg;
      let child = index.get(path);
      if (!child) {
        child = group(seg, path);
        index.set(path, child);
        at.children.push(child);
      }
      at = child;
      chain.push(child);
    }
    at.nodes.push(i);
    for (const g of chain) {
      g.totalNodes++;
      g.opCounts[node.opType] = (g.opCounts[node.opType] ?? 0) + 1;
    }
  });
  return root;
}

/** The group at a path, or undefined. */
export function findScope(root: ScopeGroup, path: string): ScopeGroup | undefined {
  if (path === '') return root;
  let at: ScopeGroup | undefined = root;
  let prefix = '';
  for (const seg of path.split('/')) {
    prefix = prefix ? `${prefix}/${seg}` : seg;
    at = at?.children.find((c) => c.path === prefix);
    if (!at) return undefined;
  }
  return at;
}
