import * as vscode from 'vscode';
import { formatAgo, formatDuration } from '../../core/tasks/display/duration';
import { formatPercent } from '../../core/tasks/display/progressLine';
import type { RunRecord, RunStatus } from '../../core/tasks/runRecord';
import { Disposable } from '../util/dispose';
import { CoalescedRun } from '../util/coalescedRun';
import type { TaskService } from './taskService';
import { runDuration } from './trackedJob';

const icons: Record<RunStatus, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin'),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** What a row of the Recent Runs view says, for the view and for tests. */
export interface RunRow {
  readonly id: string;
  readonly status: RunStatus;
  readonly label: string;
  readonly description: string;
}

/** Rows are refreshed at most this often while progress streams in. */
const refreshMs = 250;

/**
 * The Recent Runs view (`aios.runs`): every run in the workspace's runs folder, newest first,
 * with its status (queued, running with progress, succeeded, failed, cancelled) and duration.
 * Runs of other windows and of the CLI appear too (the folder is watched).
 */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunRecord> {
  private readonly changed = this._register(new vscode.EventEmitter<RunRecord | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private rows: RunRecord[] = [];

  constructor(private readonly service: TaskService) {
    super();
    const refresh = this._register(new CoalescedRun(() => this.changed.fire(undefined), refreshMs));
    this._register(service.onDidChange(() => refresh.schedule()));
  }

  /** `aios.runs.refresh`: re-reads the runs folder; resolves with the rows shown. */
  async refresh(): Promise<RunRow[]> {
    this.rows = await this.service.history();
    this.changed.fire(undefined);
    return this.rows.map((r) => this.row(r));
  }

  async getChildren(element?: RunRecord): Promise<RunRecord[]> {
    if (element) return [];
    this.rows = await this.service.history();
    return this.rows;
  }

  getTreeItem(record: RunRecord): vscode.TreeItem {
    const row = this.row(record);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = record.id;
    item.description = row.description;
    item.iconPath = icons[record.status];
    item.contextValue = `aios.run.${record.status}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${record.command}**`, `status: ${record.status}${record.interrupted ? ' (its window or process ended while it ran)' : ''}`, record.error ? `error: ${record.error}` : '', `run: \`${record.id}\``]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.command = { command: 'aios.runs.openLog', title: 'Open Log', arguments: [record] };
    return item;
  }

  private row(record: RunRecord): RunRow {
    const now = Date.now();
    const duration = runDuration(record, now);
    const progress = this.service.progressOf(record.id) ?? record.progress;
    const parts: string[] = [record.status];
    if (record.status === 'running' && progress) parts.push(`${formatPercent(progress.fraction)} ${progress.stage}`);
    if (duration !== undefined) parts.push(formatDuration(duration));
    if (record.endedAt) parts.push(formatAgo(Date.parse(record.endedAt), now));
    return { id: record.id, status: record.status, label: record.command.replace(/^aios /, ''), description: parts.join(' · ') };
  }
}
