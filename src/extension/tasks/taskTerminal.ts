import * as vscode from 'vscode';
import { formatDuration } from '../../core/tasks/display/duration';
import { progressLine } from '../../core/tasks/display/progressLine';
import { summaryReport } from '../../core/tasks/display/summaryTable';
import type { JobOutcome, TrackedJob } from './trackedJob';

/** Terminal line endings: a pseudoterminal gets raw text. */
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const clearLine = '\r\x1b[2K';
const exitCodes: Record<JobOutcome['status'], number> = { succeeded: 0, failed: 1, cancelled: 130 };

/**
 * The terminal of an `aios` task: enqueues its job when VS Code opens the terminal, shows
 * where it waits in the queue, then one progress line rewritten in place (at most ten times a
 * second), a line per finished stage, and at the end a summary table. Closing the terminal
 * (the task's trash can or Terminate Task) cancels the job.
 */
export class TaskTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private columns = 80;
  private job: TrackedJob | undefined;
  private subscription: { dispose(): void } | undefined;
  private lastStage: string | undefined;
  private startedAt = 0;
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  private lastDraw = 0;
  private progressShown = false;
  private finished = false;

  /** `start` enqueues the job, or returns a sentence saying why it cannot run; `echo` sees every write (tests). */
  constructor(
    private readonly start: () => TrackedJob | string,
    private readonly echo?: (text: string) => void,
  ) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.columns = dimensions.columns;
    const job = this.start();
    if (typeof job === 'string') {
      this.line(job);
      this.finish(2);
      return;
    }
    this.job = job;
    this.line(`\x1b[1maios ${job.title}\x1b[0m`);
    this.subscription = job.onDidChange(() => this.changed());
    this.changed();
    void job.done.then(
      (outcome) => this.end(outcome),
      (error: unknown) => this.end({ status: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.columns = dimensions.columns;
  }

  /** The user closed the terminal or terminated the task. */
  close(): void {
    if (!this.finished) this.job?.cancel();
    this.dispose();
  }

  private changed(): void {
    const job = this.job;
    if (!job || this.finished) return;
    if (job.state === 'queued') {
      if (!this.progressShown) this.write(`${clearLine}waiting in the queue…`);
      this.progressShown = true;
      return;
    }
    if (this.startedAt === 0) this.startedAt = performance.now();
    const stage = job.progress?.stage;
    if (stage !== undefined && stage !== this.lastStage) {
      if (this.lastStage !== undefined) this.write(`${clearLine}${this.lastStage}: done\r\n`);
      else this.write(clearLine);
      this.lastStage = stage;
    }
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.drawTimer) return;
    const wait = Math.max(0, 100 - (performance.now() - this.lastDraw));
    this.drawTimer = setTimeout(() => {
      this.drawTimer = undefined;
      this.draw();
    }, wait);
  }

  private draw(): void {
    const job = this.job;
    if (!job || this.finished || job.state !== 'running') return;
    this.lastDraw = performance.now();
    const progress = job.progress ?? { stage: 'starting' };
    this.write(`${clearLine}${progressLine(progress, formatDuration(performance.now() - this.startedAt), this.columns)}`);
    this.progressShown = true;
  }

  private end(outcome: JobOutcome): void {
    if (this.finished) return;
    const job = this.job;
    if (this.progressShown) this.write(`${clearLine}`);
    if (outcome.status === 'succeeded' && this.lastStage !== undefined) this.write(`${this.lastStage}: done\r\n`);
    this.write('\r\n');
    this.write(crlf(summaryReport({ kind: job?.kind ?? 'task', ...outcome })));
    this.finish(exitCodes[outcome.status]);
  }

  private finish(code: number): void {
    this.finished = true;
    this.closed.fire(code);
    this.dispose();
  }

  private line(text: string): void {
    this.write(`${crlf(text)}\r\n`);
  }

  private write(text: string): void {
    this.echo?.(text);
    this.written.fire(text);
  }

  private dispose(): void {
    if (this.drawTimer) clearTimeout(this.drawTimer);
    this.drawTimer = undefined;
    this.subscription?.dispose();
    this.subscription = undefined;
  }
}
