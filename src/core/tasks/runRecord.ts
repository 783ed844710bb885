import { z } from 'zod';

/** Every status a run goes through: queued -> running -> one of the three end states. */
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

const fileDigest = z.object({ path: z.string(), sha256: z.string() });
export type FileDigest = z.infer<typeof fileDigest>;

const progress = z.object({ stage: z.string(), fraction: z.number().optional(), message: z.string().optional() });

/**
 * `.aios/runs/<id>/run.json`: the SPEC §3 fields (`id, kind, status, startedAt, endedAt,
 * command, inputs, outputs, summary`) plus what the queue and the Recent Runs view need.
 * Readers parse with this schema and skip what does not parse (a run being created).
 */
export const runRecordSchema = z.object({
  /** Sortable by creation time, unique across processes: `20261207T124512345Z-3f9a1c`. */
  id: z.string(),
  kind: z.string(),
  status: z.enum(runStatuses),
  /** ISO 8601 times; startedAt is null while queued, endedAt until the run ends. */
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** The equivalent command line (`aios run samples/dms.usecase.yaml`). */
  command: z.string(),
  /** The folder the run was started from (absolute). */
  cwd: z.string(),
  /** Files read, absolute paths with their sha256 (hex) when the run started. */
  inputs: z.array(fileDigest),
  /** Files written, absolute paths with their sha256, only when the run succeeded. */
  outputs: z.array(fileDigest),
  /** The kind's summary (its own schema) when the run succeeded, else null. */
  summary: z.unknown(),
  /** The job's inputs as validated on enqueue: enough to run it again. */
  params: z.unknown(),
  /** Absolute path of the run's log.txt. */
  log: z.string(),
  /** Why the run failed or was cancelled, one line for humans. */
  error: z.string().optional(),
  /** True when the process that owned the run died while it was queued or running. */
  interrupted: z.boolean().optional(),
  /** The last progress report (while running). */
  progress: progress.optional(),
  /** The pid of the job process while the run is running. */
  jobPid: z.number().optional(),
  /** The process that owns the run while it is queued or running: used to detect a dead owner. */
  owner: z.object({ pid: z.number(), hostname: z.string(), heartbeatAt: z.string() }),
});

export type RunRecord = z.infer<typeof runRecordSchema>;

/** The record with its summary typed by its kind's summary schema. */
export type TypedRunRecord<S> = Omit<RunRecord, 'summary'> & { readonly summary: S | null };
