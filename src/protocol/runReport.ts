import * as z from 'zod/mini';

/**
 * The data of the `aios run` report (reports/index.html), embedded in the page as inert JSON
 * and read by its chart script. Names come from models and use cases: untrusted text, so the
 * page validates the data on arrival and shows text only through textContent.
 */
const text = z.string().check(z.maxLength(10_000));
const figure = z.number();
const stageStatus = z.enum(['passed', 'failed', 'skipped', 'unavailable']);

export const reportStageSchema = z.object({ name: text, status: stageStatus, detail: text });

export const reportQuantizeSchema = z.object({
  precision: text,
  /** Output SQNR of the quantized model against fp32 (dB); null when it could not be measured. */
  outputSqnrDb: z.nullable(figure),
  minSqnrDb: z.optional(figure),
  /** Calibrated on synthetic data (the report says so). */
  synthetic: z.boolean(),
  /** Per-layer SQNR in graph order. */
  layers: z.array(z.object({ name: text, sqnrDb: figure })).check(z.maxLength(100_000)),
  sizeBefore: z.optional(figure),
  sizeAfter: z.optional(figure),
});

export const reportTargetSchema = z.object({
  target: text,
  latencyMs: figure,
  latencyBudgetMs: z.optional(figure),
  peakMemoryBytes: figure,
  memoryBudgetBytes: z.optional(figure),
  powerW: figure,
  powerBudgetW: z.optional(figure),
  /** Every budget set for this target holds. */
  fits: z.boolean(),
});

export const reportSplitSchema = z.object({
  cloudTarget: text,
  cuts: z.array(z.object({ label: text, vehicleMs: figure, transferMs: figure, cloudMs: figure, totalMs: figure })).check(z.maxLength(100_000)),
  best: z.int().check(z.gte(0)),
});

export const reportEcuSchema = z.object({
  ecu: text,
  soc: text,
  verdict: text,
  fits: z.boolean(),
  engines: z.array(z.object({ engine: text, utilisation: figure })),
  useCases: z.array(text),
  /** All members' peak memory together against the SoC's. */
  memoryBytes: z.optional(figure),
  memoryCapacityBytes: z.optional(figure),
});

export const reportReleaseSchema = z.object({ reference: text, digest: text, version: text, channel: z.optional(text) });

export const reportReplaySchema = z.object({
  samples: z.int(),
  triggers: z.array(z.object({ when: text, fired: z.int(), perHour: figure, capturesPerDay: z.optional(figure), maxPerDay: z.optional(figure), uplinkBytesPerDay: z.optional(figure) })).check(z.maxLength(10_000)),
  /** Samples per second of the recording and hours of operation per day the per-day figures assume. */
  rate: z.optional(figure),
  hoursPerDay: z.optional(figure),
  capturesPerDay: figure,
  uplinkBytesPerDay: figure,
  withinMaxPerDay: z.boolean(),
});

export const reportUseCaseSchema = z.object({
  file: text,
  name: z.optional(text),
  domain: z.optional(text),
  status: z.enum(['passed', 'failed', 'incomplete']),
  stages: z.array(reportStageSchema),
  /** Link to the model's graph page, relative to the report. */
  graphPage: z.optional(text),
  quantize: z.optional(reportQuantizeSchema),
  profile: z.optional(z.array(reportTargetSchema)),
  split: z.optional(reportSplitSchema),
  ecu: z.optional(reportEcuSchema),
  release: z.optional(reportReleaseSchema),
  replay: z.optional(reportReplaySchema),
});

export const runReportSchema = z.object({
  generatedAt: text,
  useCases: z.array(reportUseCaseSchema).check(z.maxLength(10_000)),
});

export type RunReport = z.infer<typeof runReportSchema>;
export type ReportUseCase = z.infer<typeof reportUseCaseSchema>;
