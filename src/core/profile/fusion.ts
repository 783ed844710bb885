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
 * Groups nodes (in execution order) into kernels by the engine's fusion rules: a node joins the
 * group before it when it is next in order, on the same engine and graph, consumes the group's
 * last output, that output has no other reader (and is not a graph output), and the op types so
 * far are a prefix of one of the engine's rules (e.g. [Conv, BatchNormalization, Relu]).
 * Returns groups of indices into `nodes`, in order, covering every node once.
 */
export function fuseNodes(nodes: readonly FusableNode[], readers: ReadonlyMap<string, number>, graphOutputs: ReadonlySet<string>): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  // Rules the group so far is a prefix of.
  let rules: ReadonlyArray<readonly string[]> = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as FusableNode;
    const op = n.node.opType;
    const last = current.length > 0 ? nodes[current[current.length - 1] as number] : undefined;
    const link = last?.node.outputs[0];
    let next: ReadonlyArray<readonly string[]> = [];
    if (last !== undefined && link && rules.length > 0 && last.graphPath === n.graphPath && last.engine === n.engine && readers.get(link) === 1 && !graphOutputs.has(link) && n.node.inputs.includes(link) && last.node.outputs.filter((o) => o !== '').length === 1) {
      next = rules.filter((rule) => rule[current.length] === op);
    }
    if (next.length > 0) {
      current.push(i);
      rules = next;
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [i];
    rules = n.fusions.length > 0 ? n.fusions.filter((rule) => rule[0] === op && rule.length > 1) : [];
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** How many nodes read each tensor (a node reading it twice counts once). */
export function readerCounts(nodes: ReadonlyArray<{ readonly node: Node }>): Map<string, number> {
  const readers = new Map<string, number>();
  for (const { node } of nodes) for (const name of new Set(node.inputs)) if (name) readers.set(name, (readers.get(name) ?? 0) + 1);
  return readers;
}
