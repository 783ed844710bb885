import { z } from 'zod';

/**
 * The quantdiff report as stored in run records, embedded in the HTML export and sent to the
 * view, and the view's messages. Tensor and node names come from model files: untrusted text,
 * validated on arrival and only ever shown as text.
 */
const text = z.string().max(100_000);
const metrics = {
  /** dB pooled over samples; null: no error at all. */
  sqnrDb: z.number().nullable(),
  cosine: z.number(),
  maxAbsErr: z.number(),
};

export const histogramPairSchema = z.object({ min: z.number(), max: z.number(), fp32: z.array(z.number()), quant: z.array(z.number()) });

export const quantDiffReportSchema = z.object({
  fp32: z.object({ path: text, bytes: z.number(), latencyMs: z.number().optional() }),
  quant: z.object({ path: text, bytes: z.number(), latencyMs: z.number().optional() }),
  data: z.object({ description: text, synthetic: z.boolean(), samples: z.number() }),
  outputs: z.array(z.object({ name: text, quantName: text, ...metrics, decisionAgreement: z.number().optional() })),
  tensors: z.array(
    z.object({
      name: text,
      node: text,
      op: text,
      order: z.number(),
      quantTensor: text,
      quantOp: text,
      rule: z.enum(['name', 'producer']),
      ...metrics,
      histogram: histogramPairSchema.optional(),
    }),
  ),
  unmatched: z.array(z.object({ name: text, node: text, op: text, reason: text })),
});

export type QuantDiffSummary = z.infer<typeof quantDiffReportSchema>;

export const hostToQuantDiffViewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), report: quantDiffReportSchema, /** The run it comes from, shown in the header. */ runId: text.optional() }),
]);
export type HostToQuantDiffView = z.infer<typeof hostToQuantDiffViewSchema>;

export const quantDiffViewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Show this fp32 node (or the producer of this tensor) in the graph view. */
  z.object({ type: z.literal('reveal'), node: text, tensor: text }),
]);
export type QuantDiffViewToHost = z.infer<typeof quantDiffViewToHostSchema>;
