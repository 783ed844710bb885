import { z } from 'zod';
import { graphPayloadSchema, overlaySchema, weightStatsSchema } from './graphPayload';

/** Messages between the extension host (or the HTML export shim) and the graph webview. */

const text = z.string().max(100_000);
const requestId = z.number().int().min(0);

export const themeKindSchema = z.enum(['light', 'dark', 'highContrast', 'highContrastLight']);
export type ThemeKind = z.infer<typeof themeKindSchema>;

export const nodeRefSchema = z.object({
  /** Graph id (`main` when omitted). */
  graph: text.optional(),
  /** Node name, or a tensor name produced by the node. */
  node: text,
});
export type NodeRef = z.infer<typeof nodeRefSchema>;

export const hostToGraphViewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    payload: graphPayloadSchema,
    /** Node to select and centre once laid out. */
    reveal: nodeRefSchema.optional(),
    /** Whether weight statistics can be requested at all (false in exports without statistics). */
    weightsAvailable: z.boolean(),
  }),
  z.object({ type: z.literal('reveal'), target: nodeRefSchema }),
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
]);
export type HostToGraphView = z.infer<typeof hostToGraphViewSchema>;

export const graphViewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('requestWeights'), requestId, graph: z.number().int().min(0), tensor: text }),
  /** The user opened the body of an If/Loop/Scan node. */
  z.object({ type: z.literal('openSubgraph'), graph: z.number().int().min(0), node: text, attribute: text }),
  /** Ask the host to show something in an editor (the model file, or the other model of a diff). */
  z.object({ type: z.literal('revealInEditor'), which: z.enum(['model', 'base']) }),
  z.object({ type: z.literal('selection'), graph: text, node: text.nullable() }),
  /** First frame drawn and layouts settled, for logs and tests. */
  z.object({ type: z.literal('rendered'), firstFrameMs: z.number(), visibleNodes: z.number().int().min(0) }),
  z.object({ type: z.literal('error'), message: text, detail: text.optional() }),
]);
export type GraphViewToHost = z.infer<typeof graphViewToHostSchema>;

/** Parses an incoming message; returns a readable reason instead of throwing. */
export function parseMessage<T>(
  schema: z.ZodType<T>,
  data: unknown,
): { ok: true; message: T } | { ok: false; reason: string } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: first.join('; ') };
}
