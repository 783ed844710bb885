import * as vscode from 'vscode';
import { isMapping } from '../../core/diagnostics/rawValues';
import type { Diagnostic } from '../../core/diagnostics/types';
import { keyRange, parseYaml, valueRange, type ParsedYaml } from '../../core/diagnostics/yamlDocument';
import { shortTarget } from '../../core/profile/budgets';
import { ecuInline, newestPerTarget, profileDiagnostics, targetInline, type ProfileRunRows } from '../../core/profile/editorFindings';
import { profileResultSchema } from '../../core/profile/result';
import { quantizeInline, sqnrGateDiagnostic } from '../../core/quantize/gateFinding';
import { quantizeJobKind } from '../../core/tasks/kinds/quantizeKind';
import { pairOfQuantizeRun } from '../quantize/register';
import type { LatestResults } from '../tasks/latestResults';
import type { TaskService } from '../tasks/taskService';
import { toDiagnostic } from '../usecase/convert';
import { CoalescedRun } from '../util/coalescedRun';
import { Disposable } from '../util/dispose';

interface LensSpec {
  readonly line: number;
  readonly title: string;
  readonly command: string;
  readonly arguments: unknown[];
  readonly tooltip: string;
}

/** What the newest quantize and profile runs of a use case say about it, placed at its lines. */
export interface UseCaseFindings {
  readonly diagnostics: readonly Diagnostic[];
  readonly lenses: readonly LensSpec[];
}

const isUseCase = (d: vscode.TextDocument) => d.languageId === 'aios-usecase' && d.uri.scheme === 'file';
const lineOf = (parsed: ParsedYaml, path: ReadonlyArray<string | number>) => keyRange(parsed, path).start.line;

/**
 * Results of quantize and profile runs where they belong in the use case: the newest quantize
 * run's figure on the `quantization` line (with "Show quantization diff") and its failed SQNR
 * gate at `minSqnrDb` (AIOS339); the newest result of each target on its line and its broken
 * budgets at the budget's line (AIOS335-338); the newest ECU co-scheduling result on
 * `deployment.ecu`. Runs whose model changed since are not used (LatestResults decides), so a
 * later passing run, or a changed model, clears what an older run said.
 */
export class UseCaseRunResults extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('aios-results'));
  private readonly lenses = new Map<string, readonly LensSpec[]>();
  private readonly refreshSoon = this._register(new CoalescedRun(() => void this.refresh(), 300));

  constructor(
    service: TaskService,
    private readonly latest: LatestResults,
  ) {
    super();
    this._register(service.onDidChangeRuns(() => this.refreshSoon.schedule()));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => isUseCase(d) && this.refreshSoon.schedule()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => isUseCase(e.document) && this.refreshSoon.schedule()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon.schedule()));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        this.lenses.delete(d.uri.toString());
      }),
    );
    this.refreshSoon.schedule();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return (this.lenses.get(document.uri.toString()) ?? [])
      .filter((l) => l.line < document.lineCount)
      .map((l) => new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: l.title, command: l.command, arguments: l.arguments, tooltip: l.tooltip }));
  }

  /** Recomputes the findings of every open use case. */
  async refresh(): Promise<void> {
    for (const document of vscode.workspace.textDocuments.filter(isUseCase)) {
      const version = document.version;
      const found = await this.findings(document);
      if (document.isClosed || document.version !== version) {
        this.refreshSoon.schedule();
        continue;
      }
      this.diagnostics.set(document.uri, found.diagnostics.map(toDiagnostic));
      this.lenses.set(document.uri.toString(), found.lenses);
    }
    this.changed.fire();
  }

  async findings(document: vscode.TextDocument): Promise<UseCaseFindings> {
    const file = document.uri.fsPath;
    const parsed = parseYaml(document.getText());
    const value = isMapping(parsed.value) ? parsed.value : {};
    const diagnostics: Diagnostic[] = [];
    const lenses: LensSpec[] = [];

    const quantize = (await this.latest.currentRuns(file, 'quantize'))[0];
    const q = quantize && quantizeJobKind.summary.safeParse(quantize.summary);
    if (quantize && q?.success) {
      const line = isMapping(value.quantization) ? lineOf(parsed, ['quantization']) : 0;
      const gate = sqnrGateDiagnostic(parsed, q.data);
      if (gate) diagnostics.push(gate);
      lenses.push({ line, title: `$(pulse) ${quantizeInline(parsed, q.data)}`, command: 'aios.runs.openResult', arguments: [quantize.id], tooltip: `Newest quantize run that matches the current model (${quantize.id}): open ${q.data.output}` });
      const pair = pairOfQuantizeRun(quantize.summary);
      if (pair) lenses.push({ line, title: 'Show quantization diff', command: 'aios.showQuantDiff', arguments: [pair], tooltip: `Compare ${q.data.output} with ${q.data.model} tensor by tensor (runs a quantization diff when there is none yet)` });
    }

    const targets = (Array.isArray(value.targets) ? value.targets : []).map((t) => ({ soc: isMapping(t) && typeof t.soc === 'string' ? t.soc : '' }));
    if (targets.length > 0) {
      const runs: ProfileRunRows[] = [];
      for (const record of await this.latest.currentRuns(file, 'profile')) {
        const parsedRun = profileResultSchema.safeParse(record.summary);
        if (parsedRun.success && !parsedRun.data.ecu) runs.push({ runId: record.id, results: parsedRun.data.results });
      }
      const newest = newestPerTarget(targets, runs, file);
      diagnostics.push(...profileDiagnostics(parsed, targets, newest));
      for (const n of newest) {
        lenses.push({
          line: valueRange(parsed, ['targets', n.index]).start.line,
          title: `$(dashboard) ${shortTarget(n.result.target)}: ${targetInline(n.result)}`,
          command: 'aios.showProfile',
          arguments: [n.runId],
          tooltip: `Newest profile of this target (${n.runId}) against its budgets: open the profile view`,
        });
      }
    }

    const deployment = isMapping(value.deployment) ? value.deployment : undefined;
    if (typeof deployment?.ecu === 'string' && deployment.ecu.length > 0) {
      const ecu = deployment.ecu;
      const line = lineOf(parsed, ['deployment', 'ecu']);
      if (vscode.workspace.isTrusted) lenses.push({ line, title: `Profile ECU ${ecu}`, command: 'aios.profile', arguments: [document.uri, undefined, ecu], tooltip: `Co-schedule every use case deployed on ${ecu}: per-engine load at their fps, memory sum, verdict` });
      for (const record of await this.latest.allRuns()) {
        if (record.kind !== 'profile' || record.status !== 'succeeded') continue;
        const run = profileResultSchema.safeParse(record.summary);
        const load = run.success ? run.data.ecu : undefined;
        if (!load || load.ecu !== ecu || !load.useCases.some((u) => u.file === file)) continue;
        lenses.push({ line, title: `$(server) ${ecuInline(load)}`, command: 'aios.showProfile', arguments: [record.id], tooltip: `Newest co-scheduling of ECU ${ecu} (${record.id}): open the profile view` });
        break;
      }
    }
    return { diagnostics, lenses };
  }
}
