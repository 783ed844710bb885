import type * as vscode from 'vscode';

/**
 * Runs `action` once, `delayMs` after the first of any number of `schedule()` calls: a burst
 * of change events (job progress arrives many times a second) becomes one redraw.
 * After `dispose()` nothing pending runs and nothing new is scheduled.
 */
export class CoalescedRun implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly action: () => void,
    private readonly delayMs: number,
  ) {}

  schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.action();
    }, this.delayMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
