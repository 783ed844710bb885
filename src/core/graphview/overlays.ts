import type { GraphPayload, Overlay } from '../../protocol/graphPayload';
import { namesOf } from '../../protocol/graphRows';

/** An overlay as other features produce it: values by node name (profile rows, quantization-diff rows). */
export interface NamedOverlay {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly scale: Overlay['scale'];
  /** Graph id (`main` when omitted). */
  readonly graph?: string;
  readonly values: ReadonlyArray<readonly [node: string, value: number]>;
}

/**
 * Resolves node names (or names of tensors they produce) to node indices of a payload.
 * Returns the overlay and the names that matched nothing, so callers can say what is missing.
 */
export function resolveOverlay(payload: GraphPayload, named: NamedOverlay): { overlay: Overlay; unmatched: string[] } {
  const graphIndex = named.graph === undefined ? 0 : payload.graphs.findIndex((g) => g.id === named.graph);
  const graph = payload.graphs[graphIndex];
  if (!graph) throw new Error(`there is no graph ${JSON.stringify(named.graph)} in ${payload.title}`);
  const byName = new Map<string, number>();
  namesOf(graph.nodes).forEach((name, i) => {
    if (graph.nodes.kind[i] === 'op' && !byName.has(name)) byName.set(name, i);
  });
  namesOf(graph.tensors).forEach((name, t) => {
    const producer = graph.tensors.producer[t]!;
    if (producer >= 0 && !byName.has(name)) byName.set(name, producer);
  });
  const overlay: Overlay = { id: named.id, label: named.label, unit: named.unit, graph: graphIndex, nodes: [], values: [], scale: named.scale };
  const unmatched: string[] = [];
  const seen = new Set<number>();
  for (const [name, value] of named.values) {
    const node = byName.get(name);
    if (node === undefined || !Number.isFinite(value)) {
      unmatched.push(name);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    overlay.nodes.push(node);
    overlay.values.push(value);
  }
  return { overlay, unmatched };
}
