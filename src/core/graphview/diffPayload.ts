import type { Graph, Model, Node } from '../onnx/model';
import { diffModels, type DiffNodeChange, type ModelDiff } from '../onnx/diff';
import { nodeLabel } from '../onnx/graph/subgraphs';
import type { DiffStatus, DiffView, GraphPayload } from '../../protocol/graphPayload';
import { analyzeModel, buildGraphPayload, type BuildOptions } from './buildPayload';
import { checkDrawable } from './drawableSize';

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
  checkDrawable(base, options.baseTitle);
  checkDrawable(other, options.title);
  const diff = await diffModels(base, other, options.signal ? { signal: options.signal } : {});
  const graph = mergeRemoved(base.graph, other.graph, diff);
  const merged: Model = { ...other, graph: graph.graph };
  const payload = buildGraphPayload(merged, await analyzeModel(merged, options.signal), options);

  const added = new Set(diff.added.map((r) => r.node));
  const changed = new Map(diff.changed.map((c) => [c.node, c]));
  const view = diffView(payload, (op) => {
    const origin = graph.origin[op]!;
    if (origin.removed) return { status: 'removed' };
    const change = changed.get(origin.label);
    return { status: added.has(origin.label) ? 'added' : change ? 'changed' : 'same', ...(change ? { change } : {}) };
  });
  return {
    payload: { ...payload, title: `${options.baseTitle} ↔ ${options.title}`, diff: { baseTitle: options.baseTitle, otherTitle: options.title, ...view } },
    diff,
  };
}

/** The two models of a side-by-side diff, each coloured by what happened to its own nodes, and the node pairs that keep the panes in step. */
export interface SideBySideDiff {
  readonly base: GraphPayload;
  readonly other: GraphPayload;
  /** [node name in base, node name in other] of every matched main-graph node. */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  readonly diff: ModelDiff;
}

/** Side-by-side diff: base nodes marked removed or changed, other nodes added or changed; both carry the per-weight figures. */
export async function buildSideBySideDiff(base: Model, other: Model, options: BuildOptions & { readonly baseTitle: string }): Promise<SideBySideDiff> {
  checkDrawable(base, options.baseTitle);
  checkDrawable(other, options.title);
  const opts = options.signal ? { signal: options.signal } : {};
  const diff = await diffModels(base, other, opts);
  const titles = { baseTitle: options.baseTitle, otherTitle: options.title };
  const byBase = new Map(diff.changed.map((c) => [c.was ?? c.node, c]));
  const byOther = new Map(diff.changed.map((c) => [c.node, c]));
  const removed = new Set(diff.removed.map((r) => r.node));
  const added = new Set(diff.added.map((r) => r.node));
  const side = async (model: Model, title: string, which: 'base' | 'other'): Promise<GraphPayload> => {
    const payload = buildGraphPayload(model, await analyzeModel(model, options.signal), { ...options, title });
    const gone = which === 'base' ? removed : added;
    const changes = which === 'base' ? byBase : byOther;
    const view = diffView(payload, (op) => {
      const label = nodeLabel(model.graph.nodes[op]!, op);
      const change = changes.get(label);
      return { status: gone.has(label) ? (which === 'base' ? 'removed' : 'added') : change ? 'changed' : 'same', ...(change ? { change } : {}) };
    });
    return { ...payload, diff: { ...titles, ...view, side: which } };
  };
  return { base: await side(base, options.baseTitle, 'base'), other: await side(other, options.title, 'other'), pairs: diff.pairs, diff };
}

/** Status and change list of graph 0's nodes, from what the engine diff says about its k-th op node. */
function diffView(payload: GraphPayload, ofOp: (op: number) => { status: DiffStatus; change?: DiffNodeChange }): Pick<DiffView, 'status' | 'changes'> {
  const status: DiffStatus[] = [];
  const changes: DiffView['changes'] = [];
  let op = 0;
  payload.graphs[0]!.nodes.kind.forEach((kind, i) => {
    if (kind !== 'op') {
      status.push('same');
      return;
    }
    const { status: s, change } = ofOp(op++);
    status.push(s);
    if (change) changes.push({ node: i, what: [...change.what], ...(change.weights ? { weights: change.weights.map((w) => ({ ...w })) } : {}) });
  });
  return { status, changes };
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
