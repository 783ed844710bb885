import type { CredentialStore } from '../registry/credentials/credentials';
import type { Disposable, Event } from './event';
import type { JobProgress } from './jobKind';
import type { JobKindRegistry } from './registry';
import type { HistoryPolicy } from './runStore';
import type { RunRecord } from './runRecord';

/** What to run: a kind and its inputs (checked against the kind's `inputs` schema on enqueue). */
export interface JobSpec {
  readonly kind: string;
  readonly inputs: unknown;
  /** The folder the job runs in and relative paths resolve against; default: the queue's `cwd`. */
  readonly cwd?: string;
}

/** What the queue reports, in order, per job. */
export type TaskEvent =
  /** A run's record changed (queued, started, running, inputs hashed, ended) and is on disk as given. */
  | { readonly type: 'changed'; readonly record: RunRecord }
  | { readonly type: 'progress'; readonly id: string; readonly progress: JobProgress }
  /** A line written to the run's log.txt (job log lines, the job process's stdout and stderr). */
  | { readonly type: 'log'; readonly id: string; readonly line: string };

export interface JobHandle {
  readonly id: string;
  /** The record as queued. */
  readonly record: RunRecord;
  /** Settles with the final record (succeeded, failed or cancelled) once it is on disk; never rejects. */
  readonly finished: Promise<RunRecord>;
}

/**
 * The background task queue of one process (an editor window or one CLI invocation). Jobs run
 * in a forked job process (dist/workers/job.js), never on the caller's thread; every job has
 * a run record in the runs folder that other processes can read (see RunStore).
 */
export interface TaskQueue extends Disposable {
  /**
   * Queues a job and returns at once; its record is written as `queued` and it starts as soon
   * as the concurrency limit allows (heavy jobs one at a time by default, light ones at once).
   * Throws JobSpecError (nothing queued) when the kind is unknown or the inputs do not match.
   */
  enqueue(spec: JobSpec): JobHandle;
  /**
   * Cancels a queued job (it never starts) or a running one (its signal is aborted; the job
   * process is killed after the grace period). The job ends `cancelled` with no output file
   * left behind. False when the id is not a job of this queue that is still queued or running.
   */
  cancel(id: string): boolean;
  /** This queue's jobs of this session, queued and running first, then the finished ones newest first. */
  list(): readonly RunRecord[];
  readonly onDidChange: Event<TaskEvent>;
  /** Cancels every job, stops the spare process, and waits until every job process is gone and every record is written. */
  shutdown(): Promise<void>;
}

export interface TaskQueueOptions {
  /** The job process entry: dist/workers/job.js (see `findJobWorker`). */
  readonly workerPath: string;
  readonly registry: JobKindRegistry;
  /** The runs folder (`.aios/runs` under the workspace, or AIOS_RUNS_DIR; see `runsDirFor`). */
  readonly runsDir: string;
  /** Default folder of jobs that name none. */
  readonly cwd: string;
  /** Heavy jobs running at once (the `aios.tasks.concurrency` setting); default 1. */
  readonly concurrency?: number;
  /** How long a cancelled job may take to stop before its process is killed; default 1500 ms. */
  readonly graceMs?: number;
  /**
   * Keep one job process started ahead of need, so a job after the first starts without
   * waiting for Node to boot and load the worker (an unused one stops after a minute). Default
   * false. With it on, the queue owns one more idle child process: tell a job's process by the
   * record's `jobPid`, not by listing children.
   */
  readonly spareProcess?: boolean;
  /** Pruned after every finished run; default keep the 50 newest. */
  readonly history?: HistoryPolicy;
  /** Registry credentials the queue's jobs may ask for (the editor's SecretStorage); none by default. */
  readonly credentials?: CredentialStore;
  /** Test seam; default `() => new Date()`. */
  readonly now?: () => Date;
}
