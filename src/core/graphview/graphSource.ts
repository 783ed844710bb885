import type { Model } from '../onnx/model';
import { readModelFile } from '../onnx/read';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import { buildModelPayload } from './buildPayload';
import type { GivenInputSizes } from '../../protocol/graphMessages';
import { buildDiffPayload, buildSideBySideDiff, type SideBySideDiff } from './diffPayload';
import { checkGivenSizes } from './givenSizes';
import { weightSources } from './fold';
import { weightStats } from './weightStats';

/**
 * One opened model (or diff) and what the view asks of it: the payload, then weight
 * statistics on request. Runs inside the graph source worker; holds the model so tensor
 * payloads can be read later, straight from the file.
 */
export class GraphSource {
  private model: Model | undefined;
  private payload: GraphPayload | undefined;
  private title = '';
  /** Set for a side-by-side diff: the base model and payload, whose pane asks for its own weights. */
  private base: { model: Model; payload: GraphPayload } | undefined;

  /**
   * `sizes`: input sizes a use case referencing the model declares; used when they fit the
   * model (else the view starts from default sizes, as `aios inspect` does).
   */
  async open(path: string, title: string, signal?: AbortSignal, sizes?: GivenInputSizes): Promise<GraphPayload> {
    const model = await readModelFile(path, signal ? { signal } : {});
    const fits = sizes !== undefined && fitsModel(model, sizes);
    this.payload = await buildModelPayload(model, { title, ...(fits ? { inputSizes: sizes } : {}), ...(signal ? { signal } : {}) });
    this.model = model;
    this.title = title;
    return this.payload;
  }

  /**
   * The open model's payload with shapes, FLOPs and overlays recomputed for input sizes set
   * in the view (checked first: a bad size changes nothing). Same nodes, tensors and groups.
   */
  async resize(sizes: GivenInputSizes, signal?: AbortSignal): Promise<GraphPayload> {
    if (!this.model || !this.payload || this.payload.diff) throw new Error('input sizes can be set for one open model, not for a diff');
    checkGivenSizes(this.model.graph, sizes);
    const payload = await buildModelPayload(this.model, { title: this.title, inputSizes: sizes, ...(signal ? { signal } : {}) });
    this.payload = payload;
    return payload;
  }

  /** Side by side: both models' payloads, coloured by the diff, and the node pairs that keep the panes in step. */
  async openSideBySide(basePath: string, path: string, titles: { title: string; baseTitle: string }, signal?: AbortSignal): Promise<Omit<SideBySideDiff, 'diff'>> {
    const opts = signal ? { signal } : {};
    const [base, model] = await Promise.all([readModelFile(basePath, opts), readModelFile(path, opts)]);
    const { diff: _diff, ...sides } = await buildSideBySideDiff(base, model, { ...titles, ...opts });
    this.model = model;
    this.base = { model: base, payload: sides.base };
    this.payload = sides.other;
    return sides;
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

  /** Statistics of one weight; `side: 'base'` reads the base model of a side-by-side diff. */
  async weights(graph: number, tensor: string, signal?: AbortSignal, side?: 'base'): Promise<WeightStats> {
    const model = side === 'base' ? this.base?.model : this.model;
    const payload = side === 'base' ? this.base?.payload : this.payload;
    if (!model || !payload) throw new Error(side === 'base' ? 'no side-by-side diff is open' : 'no model is open');
    if (!payload.graphs[graph]) throw new Error(`there is no graph #${graph}`);
    const found = weightSources(model.graph)(tensor);
    if (!found) throw new Error(`${JSON.stringify(tensor)} is not a weight of this model (neither an initializer nor computed from constants)`);
    return weightStats(found, signal);
  }
}

function fitsModel(model: Model, sizes: GivenInputSizes): boolean {
  try {
    checkGivenSizes(model.graph, sizes);
    return true;
  } catch {
    return false;
  }
}
