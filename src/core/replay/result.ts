import { z } from 'zod';

/** How one dataLoop trigger behaved over the replayed recording. */
export const triggerReplaySchema = z.object({
  when: z.string(),
  /** Capture length in seconds. */
  capture: z.number(),
  maxPerDay: z.number(),
  /** Samples on which the condition held. */
  samplesTrue: z.number(),
  /** Times it fired: the condition turning true (a run of true samples fires once). */
  fired: z.number(),
  /** Firings per hour of recording. */
  perHour: z.number(),
  /** Firings that start a capture (one inside a running capture does not start another). */
  captures: z.number(),
  /** Captures per vehicle and day at dataLoop.hoursPerDay of operation, before maxPerDay caps them. */
  capturesPerDay: z.number(),
  withinMaxPerDay: z.boolean(),
  /** Bytes per day uploaded for this trigger: min(capturesPerDay, maxPerDay) captures of the recorded inputs. */
  uplinkBytesPerDay: z.number(),
});

/** `aios replay --json` (SPEC §3: samples, triggers[{when, fired, perHour}], capturesPerDay, uplinkBytesPerDay, withinMaxPerDay). */
export const replayResultSchema = z.object({
  useCase: z.string(),
  /** The folder of recorded samples. */
  data: z.string(),
  samples: z.number(),
  /** Samples per second of the recording, and where that figure came from. */
  rate: z.number(),
  rateFrom: z.enum(['--rate', 'dataLoop.sampleRate', 'targets[].budgets.fps', 'default']),
  durationSeconds: z.number(),
  hoursPerDay: z.number(),
  /** Bytes of the model inputs of one sample: what a capture records per sample. */
  bytesPerSample: z.number(),
  triggers: z.array(triggerReplaySchema),
  /** Captures per vehicle and day over all triggers, each capped at its maxPerDay (what the fleet records). */
  capturesPerDay: z.number(),
  uplinkBytesPerDay: z.number(),
  /** Every trigger stays within its maxPerDay. */
  withinMaxPerDay: z.boolean(),
});

export type TriggerReplay = z.infer<typeof triggerReplaySchema>;
export type ReplayResult = z.infer<typeof replayResultSchema>;
