import type { GraphPayload } from '../../src/protocol/graphPayload';
import { fromColumns } from '../../src/protocol/graphRows';
import type { ViewState } from './viewState';

/**
 * Takes in a payload recomputed for other input sizes without rebuilding the view: same
 * graphs, nodes, tensors and groups, so only shapes, dtypes, FLOPs and params change in the
 * rows already open (layout, expanded groups and selection stay). Overlays other features
 * sent (latency, quantization error) are kept. Returns false when the structure differs
 * (the caller then loads the payload as new).
 */
export function applyResized(state: ViewState, payload: GraphPayload): boolean {
  const current = state.payload;
  if (!current || current.graphs.length !== payload.graphs.length) return false;
  const sameShape = current.graphs.every((g, i) => g.nodes.name.length === payload.graphs[i]!.nodes.name.length && g.tensors.name.length === payload.graphs[i]!.tensors.name.length);
  if (!sameShape) return false;
  const fresh = new Set(payload.overlays.map((o) => `${o.graph}:${o.id}`));
  state.payload = { ...payload, title: current.title, diff: current.diff, overlays: [...payload.overlays, ...current.overlays.filter((o) => !fresh.has(`${o.graph}:${o.id}`))] };
  state.rows.forEach((rows, g) => {
    if (!rows) return;
    const next = fromColumns(payload.graphs[g]!);
    rows.tensors.forEach((t, i) => {
      const n = next.tensors[i]!;
      t.shape = n.shape;
      t.dtype = n.dtype;
    });
    rows.nodes.forEach((node, i) => {
      node.flops = next.nodes[i]!.flops;
      node.params = next.nodes[i]!.params;
    });
  });
  return true;
}
