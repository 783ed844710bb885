import { join } from 'node:path';
import type { RunRecord } from './runRecord';

/** Which finished runs to keep (the `aios.tasks.history.*` settings). Queued and running runs are never pruned. */
export interface HistoryPolicy {
  /** Keep at most this many finished runs, the newest; default 50. */
  readonly keep?: number;
  /** Delete finished runs older than this many days; default: no age limit. */
  readonly maxAgeDays?: number;
}

/** `AIOS_RUNS_DIR` when set, else `<root>/.aios/runs` (SPEC §3). */
export function runsDirFor(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['AIOS_RUNS_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(root, '.aios', 'runs');
}

/**
 * The run records of one runs folder, as any process sees them (other windows and the CLI
 * write there too). Every run has its own folder `<id>/` with `run.json` (replaced atomically)
 * and `log.txt`; only the process that owns a run writes its record. Reading tolerates folders
 * being created or deleted meanwhile. A queued or running record whose owner process is gone
 * (or whose heartbeat stopped) is reported as failed with `interrupted: true`.
 */
export interface RunStore {
  readonly dir: string;
  /** Every readable record, newest first. */
  list(): Promise<RunRecord[]>;
  /** One record, or undefined when there is none (or it cannot be read yet). */
  read(id: string): Promise<RunRecord | undefined>;
  /** Deletes a finished run's folder; refuses (false) a queued or running one. */
  delete(id: string): Promise<boolean>;
  /** Deletes finished runs beyond the policy; returns the ids deleted. */
  prune(policy: HistoryPolicy): Promise<string[]>;
}

/** The store of one runs folder. STUB in the API step: the implementation lands next. */
export function openRunStore(_dir: string): RunStore {
  throw new Error('the run store is not implemented yet');
}
