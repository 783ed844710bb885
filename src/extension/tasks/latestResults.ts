import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { formatAgo } from '../../core/tasks/display/duration';
import { inlineResult, type InlineResult } from '../../core/tasks/display/resultInline';
import { sha256File } from '../../core/tasks/fileDigest';
import type { RunRecord } from '../../core/tasks/runRecord';
import { Disposable } from '../util/dispose';
import { CoalescedRun } from '../util/coalescedRun';
import type { TaskService } from './taskService';

/** The newest run that is still current for a use case, and what it shows there. */
export interface CurrentResult {
  readonly record: RunRecord;
  readonly inline: InlineResult;
}

/**
 * The newest succeeded run of each open use case whose other inputs (the model, data) still
 * have the digest the run recorded: shown as a code lens at the top of the use case, and its
 * problems (a failed stage) as warnings. A run whose model changed since is not shown.
 */
export class LatestResults extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('aios-runs'));
  private readonly digests = new Map<string, { key: string; sha256: Promise<string> }>();
  /** The runs folder as last read; lenses are asked for at every edit, runs change far less often. */
  private runs: Promise<RunRecord[]> | undefined;

  private readonly refreshSoon = this._register(new CoalescedRun(() => void this.refresh(), 300));

  constructor(private readonly service: TaskService) {
    super();
    this._register(
      service.onDidChangeRuns(() => {
        this.runs = undefined;
        this.refreshSoon.schedule();
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument(() => this.refreshSoon.schedule()));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const current = await this.currentFor(document.uri.fsPath);
    if (!current) return [];
    const ended = current.record.endedAt ? ` (${formatAgo(Date.parse(current.record.endedAt), Date.now())})` : '';
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: `${current.inline.text}${ended}`,
        command: 'aios.runs.openResult',
        arguments: [current.record.id],
        tooltip: `Newest run that matches the current files: ${current.record.command} (${current.record.id})`,
      }),
    ];
  }

  /** The newest succeeded run naming this use case whose other inputs are unchanged. */
  async currentFor(file: string): Promise<CurrentResult | undefined> {
    for (const record of await this.allRuns()) {
      if (record.status !== 'succeeded' || !record.inputs.some((i) => i.path === file)) continue;
      if (!(await this.unchanged(record, file))) continue;
      return { record, inline: inlineResult(record.kind, record.summary, file) };
    }
    return undefined;
  }

  /** Succeeded runs of `kind` naming this file whose other inputs are unchanged, newest first. */
  async currentRuns(file: string, kind: string): Promise<RunRecord[]> {
    const current: RunRecord[] = [];
    for (const record of await this.allRuns()) {
      if (record.kind !== kind || record.status !== 'succeeded' || !record.inputs.some((i) => i.path === file)) continue;
      if (await this.unchanged(record, file)) current.push(record);
    }
    return current;
  }

  /** Re-reads results for the open use cases and publishes their problems. */
  async refresh(): Promise<void> {
    const documents = vscode.workspace.textDocuments.filter((d) => d.languageId === 'aios-usecase' && d.uri.scheme === 'file');
    for (const document of documents) {
      const current = await this.currentFor(document.uri.fsPath);
      this.diagnostics.set(
        document.uri,
        (current?.inline.problems ?? []).map((message) => {
          const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Warning);
          diagnostic.source = `aios run ${current?.record.id ?? ''}`.trim();
          return diagnostic;
        }),
      );
    }
    this.changed.fire();
  }

  /** Every run of the workspace, newest first, as last read (read again after runs change). */
  allRuns(): Promise<RunRecord[]> {
    this.runs ??= this.service.history().catch(() => {
      this.runs = undefined; // read again next time
      return [];
    });
    return this.runs;
  }

  private async unchanged(record: RunRecord, useCase: string): Promise<boolean> {
    for (const input of record.inputs) {
      if (input.path === useCase) continue;
      if ((await this.digest(input.path)) !== input.sha256) return false;
    }
    return true;
  }

  /** sha256 of a file, cached by size and mtime (a model is hashed once per change, not per lens). */
  private async digest(path: string): Promise<string | undefined> {
    try {
      const s = await stat(path);
      const key = `${s.size}:${s.mtimeMs}`;
      let entry = this.digests.get(path);
      if (entry?.key !== key) {
        entry = { key, sha256: sha256File(path) };
        this.digests.set(path, entry);
      }
      return await entry.sha256;
    } catch {
      return undefined;
    }
  }
}
