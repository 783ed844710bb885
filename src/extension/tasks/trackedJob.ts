import type { JobProgress } from '../../core/tasks/jobKind';
import type { RunRecord } from '../../core/tasks/runRecord';

/** How a job the extension enqueued ended, for its terminal and notification. */
export interface JobOutcome {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly runId?: string | undefined;
  readonly durationMs?: number | undefined;
  readonly logPath?: string | undefined;
  readonly summary?: unknown;
  readonly error?: string | undefined;
}

/** One queued or running job as the terminal, the notification and the status bar follow it. */
export interface TrackedJob {
  readonly id: string;
  readonly kind: string;
  /** For people: `run cockpit/driver-monitoring.usecase.yaml`. */
  readonly title: string;
  readonly state: 'queued' | 'running' | 'done';
  readonly progress: JobProgress | undefined;
  /** Fires on every record change and progress report of this job. */
  onDidChange(listener: () => void): { dispose(): void };
  readonly done: Promise<JobOutcome>;
  cancel(): void;
}

/** Milliseconds between two ISO times of a record, when both are known. */
export function runDuration(record: Pick<RunRecord, 'startedAt' | 'endedAt'>, now?: number): number | undefined {
  if (!record.startedAt) return undefined;
  const end = record.endedAt ? Date.parse(record.endedAt) : now;
  return end === undefined ? undefined : end - Date.parse(record.startedAt);
}

export function outcomeOf(record: RunRecord): JobOutcome {
  const status = record.status === 'succeeded' || record.status === 'cancelled' ? record.status : 'failed';
  return {
    status,
    runId: record.id,
    durationMs: runDuration(record),
    logPath: record.log,
    summary: record.summary ?? undefined,
    error: record.error ?? (record.status === 'failed' ? 'the job failed; see its log' : undefined),
  };
}
