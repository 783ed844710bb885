import * as z from 'zod/mini';
import { weightStatsSchema, type WeightStats } from '../../src/protocol/graphPayload';
import type { GraphViewToHost, HostToGraphView } from '../../src/protocol/graphMessages';
import { decodeBase64, vscodeHostLink, type HostLink } from '../shared/hostLink';

/** The graph app's link to its host. */
export type GraphHostLink = HostLink<GraphViewToHost>;

/**
 * The export's data element; the payload inside is validated by the app like any init
 * message, each weight's statistics when they are asked for (hundreds of them would
 * otherwise be validated before the first frame).
 */
export const exportDataSchema = z.object({
  payload: z.unknown(),
  /** Precomputed statistics by `graphIndex:tensorName`. */
  weights: z.record(z.string(), z.unknown()),
});

export function createHostLink(): GraphHostLink {
  return vscodeHostLink<GraphViewToHost>() ?? staticHostLink();
}

/**
 * The exported page: data sits in a non-executable JSON script element; the "host" answers
 * from it, without any network access.
 */
function staticHostLink(): GraphHostLink {
  const element = document.getElementById('aios-graph-data');
  const source = readEmbeddedData(element?.textContent ?? '', element?.dataset.encoding ?? '');
  let handler: (data: unknown) => void = () => undefined;
  const deliver = (message: HostToGraphView | { type: 'bad'; reason: string }) => queueMicrotask(() => handler(message));
  let weights: Record<string, unknown> = {};
  const accept = (raw: unknown) => {
    const parsed = exportDataSchema.safeParse(raw);
    if (!parsed.success) {
      deliver({ type: 'bad', reason: 'the page holds malformed graph data' });
      return;
    }
    weights = parsed.data.weights;
    // Unvalidated here on purpose: the app validates every init message against its schema.
    queueMicrotask(() => handler({ type: 'init', payload: parsed.data.payload, weightsAvailable: Object.keys(weights).length > 0 }));
  };
  return {
    kind: 'static',
    listen: (h) => (handler = h),
    post: (message) => {
      if (message.type === 'ready') {
        void source.then(
          (text) => {
            performance.mark('aios-graph:inflated');
            let raw: unknown;
            try {
              raw = JSON.parse(text);
              performance.mark('aios-graph:parsed');
            } catch {
              deliver({ type: 'bad', reason: 'the page holds no readable graph data' });
              return;
            }
            accept(raw);
          },
          () => deliver({ type: 'bad', reason: 'the page holds no readable graph data' }),
        );
      } else if (message.type === 'requestWeights') {
        const key = `${message.graph}:${message.tensor}`;
        const stats = Object.hasOwn(weights, key) ? weightStatsSchema.safeParse(weights[key]) : undefined;
        const result: { ok: true; stats: WeightStats } | { ok: false; error: string } = !stats
          ? { ok: false, error: 'this export holds no statistics for that tensor (re-export it with weight statistics)' }
          : stats.success
            ? { ok: true, stats: stats.data }
            : { ok: false, error: 'the statistics of that tensor in this page are malformed' };
        deliver({ type: 'weightStats', requestId: message.requestId, result });
      }
    },
  };
}

/** Plain JSON, or gzip+base64 JSON inflated with the browser's own DecompressionStream. */
async function readEmbeddedData(text: string, encoding: string): Promise<string> {
  if (encoding !== 'gzip+base64') return text;
  const stream = new Blob([decodeBase64(text.trim())]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new TextDecoder().decode(await new Response(stream).arrayBuffer());
}

/** The layout worker's code, embedded in the page as base64 text, started from a blob URL. */
export function createLayoutWorker(): Worker {
  const element = document.getElementById('aios-graph-worker');
  const encoded = element?.textContent?.trim() ?? '';
  if (!encoded) throw new Error('The page does not contain the layout worker; rebuild the extension (npm run build).');
  const url = URL.createObjectURL(new Blob([decodeBase64(encoded)], { type: 'text/javascript' }));
  return new Worker(url);
}
