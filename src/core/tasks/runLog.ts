import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A run's log.txt, appended in order without blocking: lines are buffered and written by one
 * chain of appends. Every line gets the time of day it was logged.
 */
export class RunLog {
  private buffered = '';
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(
    readonly path: string,
    private readonly now: () => Date,
  ) {}

  append(line: string): void {
    this.buffered += `${this.now().toISOString().slice(11, 23)} ${line.replace(/\r?\n$/, '')}\n`;
    this.writing = this.writing.then(() => this.drain());
  }

  /** Resolves when every line appended so far is on disk (or the log could not be written). */
  flush(): Promise<void> {
    return this.writing;
  }

  private async drain(): Promise<void> {
    if (this.buffered === '' || this.failed) return;
    const text = this.buffered;
    this.buffered = '';
    try {
      await fsp.mkdir(dirname(this.path), { recursive: true });
      await fsp.appendFile(this.path, text);
    } catch (error) {
      // The run folder was deleted or the disk is full: the record still says what happened.
      this.failed = true;
      console.error(`aios tasks: cannot write ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
