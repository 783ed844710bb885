import * as vscode from 'vscode';
import { formatPercent } from '../../core/tasks/display/progressLine';
import { Disposable } from '../util/dispose';
import { CoalescedRun } from '../util/coalescedRun';
import type { TaskService } from './taskService';

/**
 * The status bar item of the task queue: hidden while nothing is queued or running, else the
 * running task with its progress and how many wait (`$(sync~spin) AIOS run dms 42% · 2 queued`).
 * Clicking it shows Recent Runs.
 */
export class TaskStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('aios.tasks', vscode.StatusBarAlignment.Left, 20));

  constructor(private readonly service: TaskService) {
    super();
    this.item.name = 'AIOS Tasks';
    this.item.command = 'aios.runs.focus';
    this._register(service.onDidChangeRuns(() => this.update()));
    // Progress arrives many times a second: the percent is redrawn at most four times a second.
    const redraw = this._register(new CoalescedRun(() => this.update(), 250));
    this._register(service.onDidChange(() => redraw.schedule()));
  }

  /** The text shown, or undefined when hidden (for tests). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  private update(): void {
    const active = this.service.active();
    const running = active.filter((r) => r.status === 'running');
    const queued = active.length - running.length;
    if (active.length === 0) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const first = running[0];
    const progress = first ? this.service.progressOf(first.id) : undefined;
    const parts = first ? [`$(sync~spin) AIOS ${first.command.replace(/^aios /, '')}${progress ? ` ${formatPercent(progress.fraction)}` : ''}`] : ['$(clock) AIOS'];
    if (running.length > 1) parts.push(`${running.length - 1} more running`);
    if (queued > 0) parts.push(`${queued} queued`);
    this.item.text = parts.join(' · ');
    this.item.tooltip = ['AIOS tasks (click for Recent Runs)', ...active.map((r) => `${r.status}: ${r.command}`)].join('\n');
    this.item.show();
    this.visible = true;
  }
}
