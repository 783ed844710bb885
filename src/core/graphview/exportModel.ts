import { join } from 'node:path';
import type { FileSystem } from '../fs';
import type { Model } from '../onnx/model';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import { namesOf } from '../../protocol/graphRows';
import { renderGraphHtml } from './exportHtml';
import { weightSources } from './fold';
import { weightStats } from './weightStats';
import { nameRecord } from '../safeRecord';

export interface GraphAssets {
  readonly appScript: string;
  readonly workerScript: string;
}

/** Reads the built graph app and its layout worker from a `dist/webviews` folder. */
export async function loadGraphAssets(fs: FileSystem, webviewsDir: string): Promise<GraphAssets> {
  const read = async (name: string) => {
    const path = join(webviewsDir, name);
    if (!(await fs.stat(path))) throw new Error(`the graph view bundle ${path} is missing; run \`npm run build\` first`);
    return new TextDecoder().decode(await fs.readFile(path));
  };
  return { appScript: await read('graph.js'), workerScript: await read('graph.layout.worker.js') };
}

/** Upper bound on initializer bytes read for the statistics embedded in an export. */
export const exportWeightBudgetBytes = 512 * 1024 * 1024;

/**
 * Statistics of every weight (initializers, Constant-held and folded weights) of every graph (as long as the total stays within the
 * budget), so the exported page can answer "statistics" without its host.
 */
export async function collectWeightStats(
  model: Model,
  payload: GraphPayload,
  options: { budgetBytes?: number; signal?: AbortSignal } = {},
): Promise<Record<string, WeightStats>> {
  const budget = options.budgetBytes ?? exportWeightBudgetBytes;
  const stats = nameRecord<WeightStats>();
  let spent = 0;
  const sourceOf = weightSources(model.graph);
  for (const [graphIndex, g] of payload.graphs.entries()) {
    for (const [t, name] of namesOf(g.tensors).entries()) {
      if (!g.tensors.weight[t]) continue;
      const tensor = sourceOf(name);
      if (!tensor) continue;
      const bytes = tensor.data.byteLength ?? 0;
      if (spent + bytes > budget) continue;
      spent += bytes;
      stats[`${graphIndex}:${name}`] = await weightStats(tensor, options.signal);
    }
  }
  return stats;
}

export function exportGraphPage(payload: GraphPayload, weights: Record<string, WeightStats>, assets: GraphAssets): string {
  return renderGraphHtml({ payload, weights, ...assets });
}
