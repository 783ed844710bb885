import type { Node } from '../onnx/model';

export interface FusableNode {
  readonly node: Node;
  /** Nodes of different graphs never fuse. */
  readonly graphPath: string;
  /** Engine id the node runs on: only nodes on the same engine fuse. */
  readonly engine: string;
  readonly fusions: ReadonlyArray<readonly string[]>;
}

/**
 * Which nodes (in execution order) could join the kernel of the node before them, whatever the
 * target: node i consumes node i-1's only output, that output has no other reader and is not a
 * graph output, and both are in the same graph. 1 where they could, 0 elsewhere.
 */
export function chainLinks(nodes: ReadonlyArray<{ readonly node: Node; readonly graphPath: string }>, readers: ReadonlyMap<string, number>, graphOutputs: ReadonlySet<string>): Uint8Array {
  const links = new Uint8Array(nodes.length);
  for (let i = 1; i < nodes.length; i++) {
    const last = nodes[i - 1]!;
    const n = nodes[i]!;
    const link = last.node.outputs[0];
    links[i] = link && last.graphPath === n.graphPath && readers.get(link) === 1 && !graphOutputs.has(link) && n.node.inputs.includes(link) && last.node.outputs.filter((o) => o !== '').length === 1 ? 1 : 0;
  }
  return links;
}

/**
 * Groups nodes into kernels by their engines' fusion rules: a node joins the group before it when
 * it is chained to it (`links`), runs on the same engine, and the op types so far are a prefix of
 * one of the engine's rules (e.g. [Conv, BatchNormalization, Relu]). Returns groups of indices,
 * in order, covering every node once.
 */
export function groupKernels(ops: readonly string[], engines: readonly string[], fusionsOf: (i: number) => ReadonlyArray<readonly string[]>, links: Uint8Array): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  // Rules the group so far is a prefix of.
  let rules: ReadonlyArray<readonly string[]> = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (rules.length > 0 && links[i] === 1 && engines[i] === engines[i - 1]) {
      const next = rules.filter((rule) => rule[current.length] === op);
      if (next.length > 0) {
        current.push(i);
        rules = next;
        continue;
      }
    }
    if (current.length > 0) groups.push(current);
    current = [i];
    const fusions = fusionsOf(i);
    rules = fusions.length > 0 ? fusions.filter((rule) => rule[0] === op && rule.length > 1) : [];
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** groupKernels over chainLinks: the kernels of `nodes` on their engines. */
export function fuseNodes(nodes: readonly FusableNode[], readers: ReadonlyMap<string, number>, graphOutputs: ReadonlySet<string>): number[][] {
  return groupKernels(
    nodes.map((n) => n.node.opType),
    nodes.map((n) => n.engine),
    (i) => (nodes[i] as FusableNode).fusions,
    chainLinks(nodes, readers, graphOutputs),
  );
}

/** How many nodes read each tensor (a node reading it twice counts once). */
export function readerCounts(nodes: ReadonlyArray<{ readonly node: Node }>): Map<string, number> {
  const readers = new Map<string, number>();
  for (const { node } of nodes) for (const name of new Set(node.inputs)) if (name) readers.set(name, (readers.get(name) ?? 0) + 1);
  return readers;
}
