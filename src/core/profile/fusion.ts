import type { Node } from '../onnx/model';

export interface FusableNode {
  readonly node: Node;
  /** Nodes of different graphs never fuse. */
  readonly graphPath: string;
  /** Engine id the node runs on: only nodes on the same engine fuse. */
  readonly engine: string;
  readonly fusions: ReadonlyArray<readonly string[]>;
}

function extendsRule(ops: readonly string[], fusions: ReadonlyArray<readonly string[]>): boolean {
  return fusions.some((rule) => rule.length >= ops.length && ops.every((op, i) => rule[i] === op));
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
  let ops: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as FusableNode;
    const lastIndex = current[current.length - 1];
    const last = lastIndex === undefined ? undefined : nodes[lastIndex];
    const link = last?.node.outputs[0];
    const joins =
      last !== undefined &&
      link !== undefined &&
      link !== '' &&
      last.graphPath === n.graphPath &&
      last.engine === n.engine &&
      last.node.outputs.filter((o) => o !== '').length === 1 &&
      n.node.inputs.includes(link) &&
      readers.get(link) === 1 &&
      !graphOutputs.has(link) &&
      extendsRule([...ops, n.node.opType], n.fusions);
    if (joins) {
      current.push(i);
      ops.push(n.node.opType);
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [i];
    ops = [n.node.opType];
    // A node that starts no rule stays alone; the check above then fails for its successor.
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
