import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { CredentialStore } from '../../core/registry/credentials/credentials';
import { createTaskQueue } from '../../core/tasks/createTaskQueue';
import type { JobProgress } from '../../core/tasks/jobKind';
import type { JobKindRegistry } from '../../core/tasks/registry';
import { isFinished, type RunRecord } from '../../core/tasks/runRecord';
import { openRunStore, runsDirFor, type HistoryPolicy, type RunStore } from '../../core/tasks/runStore';
import type { JobSpec, TaskQueue } from '../../core/tasks/taskQueue';
import { Disposable } from '../util/dispose';
import { outcomeOf, type TrackedJob } from './trackedJob';

function settings(): { concurrency: number; history: HistoryPolicy } {
  const config = vscode.workspace.getConfiguration('aios.tasks');
  const maxAgeDays = config.get<number>('history.maxAgeDays', 0);
  return {
    concurrency: Math.max(1, Math.floor(config.get<number>('concurrency', 1))),
    history: { keep: Math.max(1, Math.floor(config.get<number>('history.keep', 50))), ...(maxAgeDays > 0 ? { maxAgeDays } : {}) },
  };
}

/**
 * The window's background tasks: one queue (created on the first enqueue, so activation starts
 * no process), the run history of the workspace's runs folder (written by this window, other
 * windows and the CLI), and the latest progress of each running job. Views, the status bar,
 * terminals and notifications all listen to `onDidChange`.
 */
export class TaskService extends Disposable {
  private queue: TaskQueue | undefined;
  private readonly progress = new Map<string, JobProgress>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Any change: a record of this window's queue, a progress report, or a run.json on disk. */
  readonly onDidChange = this.changed.event;
  private readonly runsChanged = this._register(new vscode.EventEmitter<void>());
  /** A run was queued, started, ended or deleted, here or in another process (no progress reports). */
  readonly onDidChangeRuns = this.runsChanged.event;
  readonly root: string | undefined;
  readonly runsDir: string | undefined;
  readonly store: RunStore | undefined;

  constructor(
    readonly registry: JobKindRegistry,
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
    /** Registry credentials the queue's jobs may ask for (the release's push). */
    private readonly credentials?: CredentialStore,
  ) {
    super();
    this.root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.runsDir = this.root ? runsDirFor(this.root) : undefined;
    this.store = this.runsDir ? openRunStore(this.runsDir) : undefined;
    if (this.runsDir) {
      // Other windows and the CLI write here too.
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.runsDir), '*/run.json')));
      const fire = () => {
        this.runsChanged.fire();
        this.changed.fire();
      };
      this._register(watcher.onDidCreate(fire));
      this._register(watcher.onDidChange(fire));
      this._register(watcher.onDidDelete(fire));
    }
    this._register({ dispose: () => void this.queue?.shutdown() });
  }

  /** Queues a job; throws JobSpecError (nothing queued) for an unknown kind or bad inputs. */
  enqueue(spec: JobSpec, title: string): TrackedJob {
    const queue = this.ensureQueue();
    const handle = queue.enqueue(spec);
    this.log.info(`task ${handle.id}: queued ${title}`);
    return this.track(handle.id, handle.record, handle.finished, title);
  }

  cancel(id: string): boolean {
    const cancelled = this.queue?.cancel(id) ?? false;
    if (cancelled) this.log.info(`task ${id}: cancel requested`);
    return cancelled;
  }

  /** Latest progress report of a running job of this window. */
  progressOf(id: string): JobProgress | undefined {
    return this.progress.get(id);
  }

  /** This window's queued and running jobs, in queue order. */
  active(): RunRecord[] {
    return (this.queue?.list() ?? []).filter((r) => !isFinished(r.status));
  }

  /** Every run in the runs folder, newest first; this window's in-memory records win over what is on disk. */
  async history(): Promise<RunRecord[]> {
    const mine = new Map((this.queue?.list() ?? []).map((r) => [r.id, r]));
    const onDisk = this.store ? await this.store.list() : [];
    const merged = onDisk.map((r) => mine.get(r.id) ?? r);
    // A queued job may not be on disk yet; a finished one missing there was deleted.
    for (const r of mine.values()) if (!isFinished(r.status) && !merged.some((m) => m.id === r.id)) merged.push(r);
    return merged.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** Relative to the workspace folder, for titles. */
  relativePath(path: string): string {
    return this.root ? relative(this.root, path) || path : path;
  }

  private ensureQueue(): TaskQueue {
    if (this.isDisposed) throw new Error('AIOS tasks are shutting down; try again in the new window.');
    if (!this.root || !this.runsDir) throw new Error('AIOS tasks need a workspace folder: open the folder that holds your use cases.');
    if (this.queue) return this.queue;
    const { concurrency, history } = settings();
    const queue = createTaskQueue({ workerPath: this.workerPath, registry: this.registry, runsDir: this.runsDir, cwd: this.root, concurrency, history, ...(this.credentials ? { credentials: this.credentials } : {}) });
    this._register(
      queue.onDidChange((event) => {
        if (event.type === 'progress') this.progress.set(event.id, event.progress);
        else if (event.type === 'changed') {
          if (isFinished(event.record.status)) this.progress.delete(event.record.id);
          this.log.info(`task ${event.record.id}: ${event.record.status}${event.record.error ? ` (${event.record.error})` : ''}`);
        } else this.log.trace(`task ${event.id}: ${event.line}`);
        if (event.type === 'changed') this.runsChanged.fire();
        if (event.type !== 'log') this.changed.fire();
      }),
    );
    this.queue = queue;
    return queue;
  }

  private track(id: string, queued: RunRecord, finished: Promise<RunRecord>, title: string): TrackedJob {
    let record = queued;
    const progressOf = (jobId: string) => this.progress.get(jobId);
    const listeners = new Set<() => void>();
    const subscription = this.queue?.onDidChange((event) => {
      const eventId = event.type === 'changed' ? event.record.id : event.id;
      if (eventId !== id || event.type === 'log') return;
      if (event.type === 'changed') record = event.record;
      for (const listener of [...listeners]) listener();
    });
    const done = finished.then((final) => {
      record = final;
      subscription?.dispose();
      for (const listener of [...listeners]) listener();
      return outcomeOf(final);
    });
    return {
      id,
      kind: queued.kind,
      title,
      get state() {
        return isFinished(record.status) ? 'done' : record.status === 'queued' ? 'queued' : 'running';
      },
      get progress() {
        return progressOf(id);
      },
      onDidChange(listener) {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
      done,
      cancel: () => void this.cancel(id),
    };
  }
}
