import { fork, type ChildProcess } from 'node:child_process';

/** How long a spare job process may wait unused before it is stopped. */
export const spareIdleMs = 60_000;

/**
 * Starts job processes (forks of dist/workers/job.js). With `spare`, one process is started
 * ahead of need after each one handed out, so the next job does not wait for Node to boot and
 * load the worker bundle; an unused spare stops after `spareIdleMs`.
 */
export class JobProcesses {
  private spareProcess: ChildProcess | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    private readonly cwd: string,
    private readonly spare: boolean,
  ) {}

  /** A started job process, the spare when there is a live one. Throws when fork() does. */
  take(): ChildProcess {
    const spare = this.spareProcess;
    this.spareProcess = undefined;
    clearTimeout(this.idleTimer);
    const live = spare !== undefined && spare.connected && spare.exitCode === null && spare.signalCode === null;
    if (spare && !live) spare.kill('SIGKILL');
    const child = live ? spare : this.fork();
    if (this.spare) setImmediate(() => this.refill());
    return child;
  }

  /** Stops the spare; resolves once it has exited. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    const spare = this.spareProcess;
    this.spareProcess = undefined;
    if (!spare || spare.exitCode !== null || spare.signalCode !== null) return;
    const exited = new Promise((resolve) => spare.once('exit', resolve));
    spare.kill('SIGKILL');
    await exited;
  }

  private fork(): ChildProcess {
    // execArgv cleared: a debugged extension host must not hand its --inspect port to jobs.
    return fork(this.workerPath, [], { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  }

  private refill(): void {
    if (this.disposed || this.spareProcess) return;
    let spare: ChildProcess;
    try {
      spare = this.fork();
    } catch {
      return; // the next job forks its own and reports why that fails
    }
    spare.on('error', () => undefined);
    spare.on('exit', () => {
      if (this.spareProcess === spare) this.spareProcess = undefined;
    });
    this.spareProcess = spare;
    this.idleTimer = setTimeout(() => {
      if (this.spareProcess !== spare) return;
      this.spareProcess = undefined;
      spare.kill();
    }, spareIdleMs);
    this.idleTimer.unref();
  }
}
