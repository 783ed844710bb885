import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isNotFound } from '../fs';
import { isFinished, runRecordSchema, type RunRecord } from './runRecord';

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

/** A live owner rewrites its queued and running records this often (see `heartbeatAt`). */
export const heartbeatMs = 5_000;
/** A queued or running record whose heartbeat is older than this is interrupted, even if a process with its pid exists (pid reuse, another host). */
export const staleAfterMs = 30_000;
const recordFile = 'run.json';

/** Whether a process with this pid exists on this machine. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a queued or running record's owner is gone, or undefined while it lives. */
export function deadOwner(record: RunRecord, now: Date): string | undefined {
  if (isFinished(record.status)) return undefined;
  const { pid, hostname: host, heartbeatAt } = record.owner;
  if (host === hostname() && !processExists(pid)) return `the process that ran it (pid ${pid}) ended before the run finished`;
  const silentMs = now.getTime() - Date.parse(heartbeatAt);
  if (!(silentMs <= staleAfterMs)) return `the process that ran it (pid ${pid} on ${host}) stopped reporting ${Math.round(silentMs / 1000)} s ago`;
  return undefined;
}

/** Run ids: creation time (sortable) and 48 random bits, unique across processes and windows. */
export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(6).toString('hex')}`;
}

/**
 * The lock-free run store: each run's folder is written by the one process that owns the run
 * (ids are unique, so two writers never share a folder); run.json is replaced by rename, so a
 * reader sees the old or the new record, never a part; deletion renames the folder to a hidden
 * name first. The only write to another process's record is marking it interrupted, which any
 * number of readers may do at once with the same result.
 */
export class FileRunStore implements RunStore {
  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  folderOf(id: string): string {
    return join(this.dir, id);
  }

  logFileOf(id: string): string {
    return join(this.dir, id, 'log.txt');
  }

  /**
   * Replaces the record atomically (temp file + rename). Only the run's owner calls this, and
   * it alone creates the folder: a reader settling an interrupted run must not bring back a
   * folder that was deleted meanwhile.
   */
  async write(record: RunRecord, options: { create: boolean } = { create: true }): Promise<void> {
    const folder = this.folderOf(record.id);
    if (options.create) await fsp.mkdir(folder, { recursive: true });
    const temp = join(folder, `.${recordFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await fsp.writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
    try {
      await fsp.rename(temp, join(folder, recordFile));
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const records = await Promise.all(names.filter((n) => !n.startsWith('.')).map((n) => this.read(n)));
    return records.filter((r): r is RunRecord => r !== undefined).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async read(id: string): Promise<RunRecord | undefined> {
    const record = await this.readRaw(id);
    return record === undefined ? undefined : this.settleInterrupted(record);
  }

  /** The record as on disk, without settling a dead owner's run. */
  private async readRaw(id: string): Promise<RunRecord | undefined> {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) return undefined;
    let text: string;
    try {
      text = await fsp.readFile(join(this.folderOf(id), recordFile), 'utf8');
    } catch {
      return undefined; // being created or deleted, or not a run folder
    }
    let parsed;
    try {
      parsed = runRecordSchema.safeParse(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (!parsed.success || parsed.data.id !== id) return undefined;
    return parsed.data;
  }

  async delete(id: string): Promise<boolean> {
    const record = await this.read(id);
    if (record && !isFinished(record.status)) return false;
    const hidden = join(this.dir, `.${id}.deleted-${randomBytes(4).toString('hex')}`);
    try {
      await fsp.rename(this.folderOf(id), hidden);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await fsp.rm(hidden, { recursive: true, force: true });
    return true;
  }

  async prune(policy: HistoryPolicy): Promise<string[]> {
    const keep = policy.keep ?? 50;
    const oldest = policy.maxAgeDays === undefined ? -Infinity : this.now().getTime() - policy.maxAgeDays * 86_400_000;
    const finished = (await this.list()).filter((r) => isFinished(r.status));
    const doomed = finished.filter((r, index) => index >= keep || Date.parse(r.endedAt ?? r.queuedAt) < oldest);
    const deleted: string[] = [];
    for (const record of doomed) if (await this.delete(record.id)) deleted.push(record.id);
    return deleted;
  }

  /** A record whose owner died is failed and interrupted, on disk too so every reader agrees. */
  private async settleInterrupted(record: RunRecord): Promise<RunRecord> {
    const why = deadOwner(record, this.now());
    if (why === undefined) return record;
    // The owner may have finished the run and exited between our read and the check: read
    // again now that it is gone (it can write no more), and keep what it wrote last.
    const current = await this.readRaw(record.id);
    if (current && isFinished(current.status)) return current;
    const { progress: _, ...rest } = record;
    const settled: RunRecord = { ...rest, status: 'failed', interrupted: true, error: why, endedAt: record.endedAt ?? this.now().toISOString() };
    try {
      await this.write(settled, { create: false });
    } catch {
      // Read-only folder or deleted meanwhile: the reader still gets the settled view.
    }
    return settled;
  }
}

export function openRunStore(dir: string, now?: () => Date): FileRunStore {
  return new FileRunStore(dir, now);
}
