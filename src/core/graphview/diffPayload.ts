import type { Graph, Model, Node } from '../onnx/model';
import { diffModels, type ModelDiff } from '../onnx/diff';
import { nodeLabel } from '../onnx/graph/subgraphs';
import type { DiffStatus, GraphPayload } from '../../protocol/graphPayload';
import { analyzeModel, buildGraphPayload, type BuildOptions } from './buildPayload';

/**
 * Diff mode payload from the engine's structural diff: the other model's graph with the base
 * model's removed nodes merged in (each after the node it followed in the base), every node
 * coloured by its status.
 */
export async function buildDiffPayload(
  base: Model,
  other: Model,
  options: BuildOptions & { readonly baseTitle: string },
): Promise<{ payload: GraphPayload; diff: ModelDiff }> {
  const diff = await diffModels(base, other, options.signal ? { signal: options.signal } : {});
  const graph = mergeRemoved(base.graph, other.graph, diff);
  const merged: Model = { ...other, graph: graph.graph };
  const payload = buildGraphPayload(merged, await analyzeModel(merged, options.signal), options);

  const added = new Set(diff.added.map((r) => r.node));
  const changed = new Map(diff.changed.map((c) => [c.node, c.what]));
  const status: DiffStatus[] = [];
  const changes: Array<{ node: number; what: string[] }> = [];
  let op = 0;
  payload.graphs[0]!.nodes.kind.forEach((kind, i) => {
    if (kind !== 'op') {
      status.push('same');
      return;
    }
    const origin = graph.origin[op++]!;
    if (origin.removed) {
      status.push('removed');
      return;
    }
    const what = changed.get(origin.label);
    if (what) changes.push({ node: i, what: [...what] });
    status.push(added.has(origin.label) ? 'added' : what ? 'changed' : 'same');
  });
  return {
    payload: { ...payload, title: `${options.baseTitle} ↔ ${options.title}`, diff: { baseTitle: options.baseTitle, otherTitle: options.title, status, changes } },
    diff,
  };
}

interface Origin {
  /** The node's label in its own model (the diff's identity). */
  readonly label: string;
  readonly removed: boolean;
}

/** B's nodes with A's removed nodes inserted after their nearest surviving predecessor. */
function mergeRemoved(base: Graph, other: Graph, diff: ModelDiff): { graph: Graph; origin: Origin[] } {
  const removed = new Set(diff.removed.map((r) => r.node));
  const renamed = new Map(diff.changed.filter((c) => c.was !== undefined).map((c) => [c.was!, c.node]));
  const otherLabels = new Set(other.nodes.map((n, i) => nodeLabel(n, i)));
  const after = new Map<string, Node[]>();
  let anchor = '';
  base.nodes.forEach((n, i) => {
    const label = nodeLabel(n, i);
    if (removed.has(label)) {
      const list = after.get(anchor) ?? [];
      list.push(n);
      after.set(anchor, list);
      return;
    }
    const counterpart = renamed.get(label) ?? label;
    if (otherLabels.has(counterpart)) anchor = counterpart;
  });
  const nodes: Node[] = [];
  const origin: Origin[] = [];
  const pushRemoved = (list: readonly Node[] | undefined) => {
    for (const n of list ?? []) {
      nodes.push(n);
      origin.push({ label: '', removed: true });
    }
  };
  pushRemoved(after.get(''));
  other.nodes.forEach((n, i) => {
    const label = nodeLabel(n, i);
    nodes.push(n);
    origin.push({ label, removed: false });
    pushRemoved(after.get(label));
  });
  const initializers = new Set(other.initializers.map((t) => t.name));
  const infos = new Set(other.valueInfo.map((v) => v.name));
  return {
    graph: {
      ...other,
      nodes,
      initializers: [...other.initializers, ...base.initializers.filter((t) => !initializers.has(t.name))],
      valueInfo: [...other.valueInfo, ...base.valueInfo.filter((v) => !infos.has(v.name))],
    },
    origin,
  };
}
