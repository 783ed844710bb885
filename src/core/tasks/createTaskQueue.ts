import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Emitter } from './event';
import { digestFiles, sha256File } from './fileDigest';
import { JobProcesses } from './jobProcesses';
import { outputFile, type JobMessage, type JobRequest, type OutputFile } from './jobProtocol';
import { JobSpecError, type AnyJobKind } from './registry';
import { isFinished, type FileDigest, type RunRecord } from './runRecord';
import { RunLog } from './runLog';
import { heartbeatMs, newRunId, openRunStore, type FileRunStore } from './runStore';
import type { JobHandle, JobSpec, TaskEvent, TaskQueue, TaskQueueOptions } from './taskQueue';

export const defaultGraceMs = 1_500;

interface Job {
  record: RunRecord;
  readonly kind: AnyJobKind;
  readonly inputs: unknown;
  readonly cwd: string;
  readonly outputs: readonly OutputFile[];
  readonly log: RunLog;
  state: 'queued' | 'starting' | 'running' | 'ending' | 'ended';
  child?: ChildProcess;
  /** Set by cancel(): whatever the job process says after, the run ends cancelled. */
  cancelReason?: string;
  result?: Extract<JobMessage, { type: 'done' | 'failed' }>;
  killTimer?: NodeJS.Timeout;
  /** Why the job process could not be started or reached (its 'error' event). */
  spawnError?: string;
  /** The job process said that the job's code runs. */
  started?: boolean;
  /** Record writes, in order; each writes the newest record. */
  writes: Promise<void>;
  readonly finished: Promise<RunRecord>;
  resolveFinished(record: RunRecord): void;
}

/** The queue of this process: jobs run in forked job processes, records go to the runs folder. */
export function createTaskQueue(options: TaskQueueOptions): TaskQueue {
  return new ForkedTaskQueue(options);
}

class ForkedTaskQueue implements TaskQueue {
  private readonly jobs: Job[] = [];
  private readonly emitter = new Emitter<TaskEvent>();
  private readonly store: FileRunStore;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly graceMs: number;
  private readonly processes: JobProcesses;
  private heartbeat: NodeJS.Timeout | undefined;
  private disposed = false;

  readonly onDidChange = this.emitter.event;

  constructor(private readonly options: TaskQueueOptions) {
    if (!existsSync(options.workerPath)) throw new Error(`the job worker ${options.workerPath} is missing: the installation is incomplete (developers: run 'node esbuild.mjs')`);
    this.now = options.now ?? (() => new Date());
    this.store = openRunStore(options.runsDir, this.now);
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.graceMs = options.graceMs ?? defaultGraceMs;
    this.processes = new JobProcesses(options.workerPath, options.cwd, options.spareProcess ?? false);
  }

  enqueue(spec: JobSpec): JobHandle {
    if (this.disposed) throw new Error('the task queue was shut down (the window or command is ending)');
    const kind = this.options.registry.require(spec.kind);
    const parsed = kind.inputs.safeParse(spec.inputs);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'inputs'}: ${i.message}`).join('; ');
      throw new JobSpecError(`the inputs of an '${spec.kind}' task are not valid: ${problems}`);
    }
    const cwd = resolve(spec.cwd ?? this.options.cwd);
    if (!existsSync(cwd)) throw new JobSpecError(`cannot run an '${spec.kind}' task in ${cwd}: the folder does not exist`);
    const inputs: unknown = parsed.data;
    const now = this.now();
    const id = newRunId(now);
    const record: RunRecord = {
      id,
      kind: kind.kind,
      status: 'queued',
      queuedAt: now.toISOString(),
      startedAt: null,
      endedAt: null,
      command: kind.command(inputs, cwd),
      cwd,
      inputs: [],
      outputs: [],
      summary: null,
      params: inputs,
      log: this.store.logFileOf(id),
      owner: { pid: process.pid, hostname: hostname(), heartbeatAt: now.toISOString() },
    };
    let resolveFinished!: (record: RunRecord) => void;
    const finished = new Promise<RunRecord>((r) => (resolveFinished = r));
    const job: Job = {
      record,
      kind,
      inputs,
      cwd,
      outputs: kind.outputFiles(inputs, cwd).map((path) => outputFile(resolve(cwd, path), id)),
      log: new RunLog(record.log, this.now),
      state: 'queued',
      writes: Promise.resolve(),
      finished,
      resolveFinished,
    };
    this.jobs.push(job);
    this.logLine(job, `queued: ${record.command} (in ${cwd})`);
    this.update(job, {});
    this.ensureHeartbeat();
    this.pump();
    return { id, record, finished };
  }

  cancel(id: string): boolean {
    const job = this.jobs.find((j) => j.record.id === id);
    if (!job || job.state === 'ending' || job.state === 'ended' || job.cancelReason !== undefined) return false;
    job.cancelReason = 'cancelled';
    if (job.state === 'queued') {
      this.logLine(job, 'cancelled before it started');
      void this.end(job, { status: 'cancelled', error: 'cancelled before it started' });
      return true;
    }
    this.logLine(job, `cancel requested: the job process is stopped, or killed after ${this.graceMs} ms`);
    this.send(job, { type: 'cancel', reason: 'cancelled' });
    job.killTimer = setTimeout(() => {
      if (job.child && job.child.exitCode === null && job.child.signalCode === null) {
        this.logLine(job, `the job did not stop within ${this.graceMs} ms: killing its process (pid ${job.child.pid})`);
        job.child.kill('SIGKILL');
      }
    }, this.graceMs);
    return true;
  }

  list(): readonly RunRecord[] {
    const active = this.jobs.filter((j) => j.state !== 'ended');
    const ended = this.jobs.filter((j) => j.state === 'ended').reverse();
    return [...active, ...ended].map((j) => j.record);
  }

  async shutdown(): Promise<void> {
    this.disposed = true;
    const active = this.jobs.filter((j) => j.state !== 'ended');
    for (const job of active) this.cancel(job.record.id);
    await Promise.all([this.processes.dispose(), ...active.map((j) => j.finished)]);
    this.stopHeartbeat();
  }

  dispose(): void {
    void this.shutdown().finally(() => this.emitter.dispose());
  }

  private pump(): void {
    for (const job of this.jobs) {
      if (job.state !== 'queued') continue;
      if (job.kind.heavy && this.heavyActive() >= this.concurrency) continue;
      this.start(job);
    }
  }

  private heavyActive(): number {
    return this.jobs.filter((j) => j.kind.heavy && (j.state === 'starting' || j.state === 'running')).length;
  }

  private start(job: Job): void {
    job.state = 'starting';
    const startedAt = this.now().toISOString();
    let child: ChildProcess;
    try {
      child = this.processes.take();
    } catch (error) {
      void this.end(job, { status: 'failed', error: `could not start the job process: ${messageOf(error)}` });
      return;
    }
    job.child = child;
    this.update(job, { startedAt, ...(child.pid !== undefined ? { jobPid: child.pid } : {}) });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.logLine(job, line));
    }
    child.on('message', (message: JobMessage) => this.receive(job, message));
    child.on('error', (error) => {
      job.spawnError ??= error.message;
      this.logLine(job, `job process error: ${error.message}`);
    });
    child.on('close', (code, signal) => void this.closed(job, code, signal));
    this.send(job, {
      type: 'start',
      runId: job.record.id,
      kind: job.kind.kind,
      ...(job.kind.module !== undefined ? { module: job.kind.module } : {}),
      inputs: job.inputs,
      cwd: job.cwd,
      outputs: job.outputs,
    });
    void this.hashInputs(job);
  }

  private async hashInputs(job: Job): Promise<void> {
    const { digests, skipped } = await digestFiles(await job.kind.inputFiles(job.inputs, job.cwd));
    for (const why of skipped) this.logLine(job, `input not hashed: ${why}`);
    if (job.state !== 'ended') this.update(job, { inputs: digests });
  }

  private receive(job: Job, message: JobMessage): void {
    switch (message.type) {
      case 'started':
        job.started = true;
        if (job.state === 'starting') {
          job.state = 'running';
          this.logLine(job, `running (job process pid ${job.child?.pid})`);
          this.update(job, { status: 'running' });
        }
        return;
      case 'progress':
        job.record = { ...job.record, progress: message.progress };
        this.emitter.fire({ type: 'progress', id: job.record.id, progress: message.progress });
        return;
      case 'log':
        this.logLine(job, message.line);
        return;
      case 'credentials':
        void this.answerCredentials(job, message.requestId, message.host);
        return;
      case 'done':
      case 'failed':
        job.result = message;
        return;
    }
  }

  private async answerCredentials(job: Job, requestId: number, host: string): Promise<void> {
    let credentials;
    try {
      credentials = await this.options.credentials?.get(host);
    } catch (error) {
      this.logLine(job, `could not read the stored credentials for ${host}: ${messageOf(error)}`);
    }
    this.send(job, { type: 'credentials', requestId, ...(credentials ? { credentials } : {}) });
  }

  /** The job process is gone (and its output streams are drained): decide how the run ended. */
  private async closed(job: Job, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    clearTimeout(job.killTimer);
    if (job.state === 'ending' || job.state === 'ended') return;
    job.state = 'ending';
    const result = job.result;
    const committed = new Set<string>();
    let ending: Partial<RunRecord> & Pick<RunRecord, 'status'>;
    if (job.cancelReason !== undefined) {
      ending = { status: 'cancelled', error: job.cancelReason };
    } else if (result?.type === 'done') {
      const summary = job.kind.summary.safeParse(result.summary);
      if (!summary.success) {
        ending = { status: 'failed', error: `the '${job.kind.kind}' job returned a summary that does not match its schema: ${summary.error.issues[0]?.message ?? 'invalid'}` };
      } else {
        try {
          const outputs = await this.commitOutputs(job, result.written, committed);
          ending = { status: 'succeeded', summary: summary.data, outputs };
        } catch (error) {
          ending = { status: 'failed', error: `could not move an output into place: ${messageOf(error)}` };
        }
      }
    } else if (result?.type === 'failed') {
      ending = { status: 'failed', error: result.error };
    } else if (job.spawnError !== undefined && !job.started) {
      ending = { status: 'failed', error: `could not start the job process in ${job.cwd}: ${job.spawnError}` };
    } else {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      ending = { status: 'failed', error: `the job process ${how} before the job finished; see the log for what it printed` };
    }
    await Promise.all(job.outputs.filter((o) => !committed.has(o.path)).map((o) => fsp.rm(o.temp, { force: true })));
    this.logLine(job, ending.status === 'succeeded' ? 'succeeded' : `${ending.status}: ${ending.error ?? ''}`);
    await this.end(job, ending);
  }

  /** Renames each written temp file onto its output and hashes it. */
  private async commitOutputs(job: Job, written: readonly string[], committed: Set<string>): Promise<FileDigest[]> {
    const digests: FileDigest[] = [];
    for (const output of job.outputs) {
      if (!written.includes(output.path)) continue;
      await fsp.rename(output.temp, output.path);
      committed.add(output.path);
      digests.push({ path: output.path, sha256: await sha256File(output.path) });
    }
    return digests;
  }

  private async end(job: Job, changes: Partial<RunRecord> & Pick<RunRecord, 'status'>): Promise<void> {
    job.state = 'ended';
    const { progress: _, jobPid: __, ...rest } = job.record;
    job.record = rest as RunRecord;
    this.update(job, { ...changes, endedAt: this.now().toISOString() });
    if (!this.jobs.some((j) => j.state !== 'ended')) this.stopHeartbeat();
    this.pump();
    await Promise.all([job.writes, job.log.flush()]);
    await this.store.prune(this.options.history ?? {}).catch((error: unknown) => console.error(`aios tasks: pruning ${this.store.dir} failed: ${messageOf(error)}`));
    job.resolveFinished(job.record);
  }

  /** Changes the record, writes it, then tells the listeners: what an event says is on disk. */
  private update(job: Job, changes: Partial<RunRecord>): void {
    const record = (job.record = { ...job.record, ...changes });
    job.writes = job.writes.then(async () => {
      await this.write(job, record);
      this.emitter.fire({ type: 'changed', record });
    });
  }

  /** Writes the newest record again (heartbeat). */
  private persist(job: Job): void {
    job.writes = job.writes.then(() => this.write(job, job.record));
  }

  private async write(job: Job, record: RunRecord): Promise<void> {
    try {
      await this.store.write(record);
    } catch (error) {
      this.logLine(job, `cannot write the run record: ${messageOf(error)}`);
    }
  }

  private logLine(job: Job, line: string): void {
    job.log.append(line);
    this.emitter.fire({ type: 'log', id: job.record.id, line });
  }

  private send(job: Job, request: JobRequest): void {
    if (job.child?.connected) job.child.send(request, (error) => error && this.logLine(job, `could not reach the job process: ${error.message}`));
  }

  private ensureHeartbeat(): void {
    this.heartbeat ??= setInterval(() => {
      const at = this.now().toISOString();
      for (const job of this.jobs) {
        if (isFinished(job.record.status) || job.state === 'ended') continue;
        job.record = { ...job.record, owner: { ...job.record.owner, heartbeatAt: at } };
        this.persist(job);
      }
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
