import * as z from 'zod/mini';
import { graphPayloadSchema, overlaySchema, weightStatsSchema } from './graphPayload';
import { graphViewStateSchema } from './graphViewState';
import { givenSizesSchema } from './inputSizes';

/** Messages between the extension host (or the HTML export shim) and the graph webview. */

const text = z.string().check(z.maxLength(100_000));
const requestId = z.int().check(z.gte(0));
const index = z.int().check(z.gte(0));

export const themeKindSchema = z.enum(['light', 'dark', 'highContrast', 'highContrastLight']);
export type ThemeKind = z.infer<typeof themeKindSchema>;

export const nodeRefSchema = z.object({
  /** Graph id (`main` when omitted). */
  graph: z.optional(text),
  /** Node name, or a tensor name produced by the node. */
  node: text,
});
export type NodeRef = z.infer<typeof nodeRefSchema>;

export { givenSizesSchema, maxInputDim, type GivenInputSizes } from './inputSizes';

export const hostToGraphViewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    payload: graphPayloadSchema,
    /** Node to select and centre once laid out. */
    reveal: z.optional(nodeRefSchema),
    /** Whether weight statistics can be requested at all (false in exports without statistics). */
    weightsAvailable: z.boolean(),
    /** The view as last saved for this file (editor closed and reopened, window reloaded), when the page has no state of its own. */
    viewState: z.optional(graphViewStateSchema),
  }),
  z.object({ type: z.literal('reveal'), target: nodeRefSchema }),
  /** Centre this node (or the collapsed group holding it) at this zoom, selecting nothing: the other pane of a side-by-side diff moved. */
  z.object({ type: z.literal('camera'), target: nodeRefSchema, scale: z.number().check(z.gt(0), z.lte(1000)) }),
  z.object({ type: z.literal('overlay'), overlay: overlaySchema, show: z.boolean() }),
  z.object({ type: z.literal('diff'), payload: graphPayloadSchema }),
  z.object({
    type: z.literal('weightStats'),
    requestId,
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), stats: weightStatsSchema }),
      z.object({ ok: z.literal(false), error: text }),
    ]),
  }),
  z.object({ type: z.literal('theme'), kind: themeKindSchema }),
  /** Shapes, FLOPs and overlays recomputed for the input sizes the view asked for (same graph structure). */
  z.object({ type: z.literal('resized'), payload: graphPayloadSchema, sizes: givenSizesSchema }),
  /** The sizes could not be used (an input the model lacks, a fixed dim, …): the view keeps its figures. */
  z.object({ type: z.literal('resizeFailed'), sizes: givenSizesSchema, message: text }),
  /** The host could not produce a graph (unreadable model, …): shown instead of the graph. */
  z.object({ type: z.literal('failed'), message: text }),
]);
export type HostToGraphView = z.infer<typeof hostToGraphViewSchema>;

export const graphViewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('requestWeights'), requestId, graph: index, tensor: text }),
  /** Recompute shapes, FLOPs and overlays for these input sizes (an empty record: back to the defaults). */
  z.object({ type: z.literal('setInputSizes'), sizes: givenSizesSchema }),
  /** The merged diff's "Side by side" button: open the two models in two panes. */
  z.object({ type: z.literal('openSideBySide') }),
  /** The user opened the body of an If/Loop/Scan node. */
  z.object({ type: z.literal('openSubgraph'), graph: index, node: text, attribute: text }),
  z.object({ type: z.literal('selection'), graph: text, node: z.nullable(text) }),
  /** The camera settled after a move of this pane's own: the node nearest the centre and the zoom. */
  z.object({ type: z.literal('viewport'), graph: text, node: z.nullable(text), scale: z.number().check(z.gt(0), z.lte(1000)) }),
  /** First frame drawn and layouts settled, for logs and tests. */
  z.object({ type: z.literal('rendered'), firstFrameMs: z.number(), visibleNodes: index }),
  z.object({ type: z.literal('error'), message: text, detail: z.optional(text) }),
  /** The view changed (camera, selection, groups, …): kept by the host for the next editor of this file. */
  z.object({ type: z.literal('viewState'), state: graphViewStateSchema }),
]);
export type GraphViewToHost = z.infer<typeof graphViewToHostSchema>;

/** Parses an incoming message; returns a readable reason instead of throwing. */
export function parseMessage<T>(
  schema: z.ZodMiniType<T>,
  data: unknown,
): { ok: true; message: T } | { ok: false; reason: string } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: first.join('; ') };
}
