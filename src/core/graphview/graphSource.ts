import type { Graph, Model, Tensor } from '../onnx/model';
import { readModelFile } from '../onnx/read';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import { buildModelPayload } from './buildPayload';
import { buildDiffPayload } from './diffPayload';
import { weightStats } from './weightStats';

/**
 * One opened model (or diff) and what the view asks of it: the payload, then weight
 * statistics on request. Runs inside the graph source worker; holds the model so tensor
 * payloads can be read later, straight from the file.
 */
export class GraphSource {
  private model: Model | undefined;
  private payload: GraphPayload | undefined;

  async open(path: string, title: string, signal?: AbortSignal): Promise<GraphPayload> {
    const model = await readModelFile(path, signal ? { signal } : {});
    this.payload = await buildModelPayload(model, { title, ...(signal ? { signal } : {}) });
    this.model = model;
    return this.payload;
  }

  async openDiff(basePath: string, path: string, titles: { title: string; baseTitle: string }, signal?: AbortSignal): Promise<GraphPayload> {
    const opts = signal ? { signal } : {};
    const [base, model] = await Promise.all([readModelFile(basePath, opts), readModelFile(path, opts)]);
    const { payload } = await buildDiffPayload(base, model, { ...titles, ...opts });
    const own = new Set(model.graph.initializers.map((t) => t.name));
    // Removed nodes may read base-only weights: keep both models' tensors reachable.
    this.model = { ...model, graph: { ...model.graph, initializers: [...model.graph.initializers, ...base.graph.initializers.filter((t) => !own.has(t.name))] } };
    this.payload = payload;
    return payload;
  }

  async weights(graph: number, tensor: string, signal?: AbortSignal): Promise<WeightStats> {
    if (!this.model || !this.payload) throw new Error('no model is open');
    const view = this.payload.graphs[graph];
    if (!view) throw new Error(`there is no graph #${graph}`);
    const found = findInitializer(this.model.graph, tensor);
    if (!found) throw new Error(`${JSON.stringify(tensor)} is not an initializer of this model`);
    return weightStats(found, signal);
  }
}

function findInitializer(graph: Graph, name: string): Tensor | undefined {
  const here = graph.initializers.find((t) => t.name === name);
  if (here) return here;
  for (const node of graph.nodes) {
    for (const a of node.attributes) {
      const bodies = a.value.type === 'graph' ? [a.value.value] : a.value.type === 'graphs' ? a.value.value : [];
      for (const body of bodies) {
        const found = findInitializer(body, name);
        if (found) return found;
      }
    }
  }
  return undefined;
}
