import { z } from 'zod';

/** The quantdiff report as stored in run records and sent to the view (validated on both ends). */
const metrics = {
  /** dB pooled over samples; null: no error at all. */
  sqnrDb: z.number().nullable(),
  cosine: z.number(),
  maxAbsErr: z.number(),
};

export const histogramPairSchema = z.object({ min: z.number(), max: z.number(), fp32: z.array(z.number()), quant: z.array(z.number()) });

export const quantDiffReportSchema = z.object({
  fp32: z.object({ path: z.string(), bytes: z.number(), latencyMs: z.number().optional() }),
  quant: z.object({ path: z.string(), bytes: z.number(), latencyMs: z.number().optional() }),
  data: z.object({ description: z.string(), synthetic: z.boolean(), samples: z.number() }),
  outputs: z.array(z.object({ name: z.string(), quantName: z.string(), ...metrics, decisionAgreement: z.number().optional() })),
  tensors: z.array(
    z.object({
      name: z.string(),
      node: z.string(),
      op: z.string(),
      order: z.number(),
      quantTensor: z.string(),
      quantOp: z.string(),
      rule: z.enum(['name', 'producer']),
      ...metrics,
      histogram: histogramPairSchema.optional(),
    }),
  ),
  unmatched: z.array(z.object({ name: z.string(), node: z.string(), op: z.string(), reason: z.string() })),
});

export type QuantDiffSummary = z.infer<typeof quantDiffReportSchema>;
