import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { NamedOverlay } from '../../core/graphview/overlays';
import type { RunRecord } from '../../core/tasks/runRecord';
import { quantDiffReportSchema, type QuantDiffSummary } from '../../protocol/quantdiffReport';
import type { ContributionRegistry } from '../commandRegistry';
import type { GraphViewApi } from '../graph/register';
import type { TasksApi } from '../tasks/register';
import { openAppPanel, revealNodeThen } from '../util/webviewAppPanel';
import { QuantDiffPanel, quantDiffViewType } from './quantDiffPanel';

/** What tests use of the quantization diff. */
export interface QuantDiffApi {
  readonly panels: ReadonlySet<QuantDiffPanel>;
}

export const quantErrorOverlayId = 'quantError';

/**
 * `aios.showQuantDiff([runId | {fp32, quant, data?, samples?}])`: the newest succeeded quantdiff
 * run (or the one named; for a model pair, the newest diff of that pair newer than the quantized
 * file, else a quantdiff task run now, as the Quantize lens asks) in the
 * quantization diff view; a row reveals its node in the graph view of the fp32 model. The
 * graph view of that model gets the "quantization error" overlay of the newest diff.
 */
export function registerQuantDiff(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel, tasks: TasksApi, graph: GraphViewApi): QuantDiffApi {
  const panels = new Set<QuantDiffPanel>();
  let newest: Promise<{ record: RunRecord; report: QuantDiffSummary } | undefined> | undefined;
  const latest = () => (newest ??= findRun(tasks, undefined, log));

  const applyOverlay = async (uri?: vscode.Uri) => {
    const found = await latest();
    if (!found) return;
    const model = vscode.Uri.file(found.report.fp32.path);
    if (uri && uri.toString() !== model.toString()) return;
    for (const panel of graph.provider.panelsFor(model)) {
      try {
        const unmatched = await panel.showNamedOverlay(quantErrorOverlay(found.report), false);
        if (unmatched.length) log.info(`quantization error overlay: ${unmatched.length} tensors of run ${found.record.id} match no node of ${model.fsPath}`);
      } catch (error) {
        log.warn(`quantization error overlay: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  context.subscriptions.push(
    tasks.service.onDidChangeRuns(() => {
      newest = undefined;
      void applyOverlay();
    }),
    graph.provider.onDidOpenPanel((uri) => void applyOverlay(uri)),
  );

  /** The newest diff of exactly this pair made after the quantized file was written, else one made now (a task). */
  const diffOfPair = async (pair: ModelPair): Promise<{ record: RunRecord; report: QuantDiffSummary } | string> => {
    const written = await stat(pair.quant).then((s) => s.mtimeMs, () => undefined);
    if (written === undefined) return `AIOS: ${pair.quant} is gone: quantize again to compare it with ${pair.fp32}.`;
    const existing = await findRun(tasks, undefined, log, (r, report) => report.fp32.path === pair.fp32 && report.quant.path === pair.quant && Date.parse(r.startedAt ?? '') >= written);
    if (existing) return existing;
    const { result, job } = tasks.enqueue('quantdiff', { fp32: pair.fp32, quant: pair.quant, ...(pair.data ? { data: pair.data } : {}), ...(pair.samples ? { samples: pair.samples } : {}) });
    if (!job) return result.available ? 'AIOS: the quantization diff could not be queued.' : result.message;
    const outcome = await job.done;
    if (outcome.status !== 'succeeded') return `AIOS: the quantization diff ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}. See its log in Recent Runs.`;
    return (await findRun(tasks, outcome.runId, log)) ?? `AIOS: run ${outcome.runId ?? ''} left no readable diff.`;
  };

  registry.command('aios.showQuantDiff', async (arg?: unknown) => {
    const runId = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string' ? (arg as { runId: string }).runId : undefined;
    const pair = modelPair(arg);
    if (pair) {
      const diff = await diffOfPair(pair);
      if (typeof diff === 'string') {
        void vscode.window.showWarningMessage(diff);
        return undefined;
      }
      return open(diff);
    }
    const found = runId ? await findRun(tasks, runId, log) : await latest();
    if (!found) {
      void vscode.window.showInformationMessage(
        runId
          ? `AIOS: run ${runId} is not a succeeded quantization diff of this workspace.`
          : 'AIOS: no quantization diff yet. Run `aios quantdiff FP32 QUANT` in this folder, or an aios task of kind quantdiff ({"type": "aios", "kind": "quantdiff", "inputs": {"fp32": "...", "quant": "..."}}).',
      );
      return undefined;
    }
    return open(found);
  });

  const open = (found: { record: RunRecord; report: QuantDiffSummary }): string => {
    const panel = openAppPanel(context.extensionUri, quantDiffViewType, 'Quantization diff', panels, (webviewPanel) => new QuantDiffPanel(webviewPanel, context.extensionUri, log, revealNodeThen(applyOverlay)));
    panel.show(found.report, found.record.id);
    return found.record.id;
  };
  return { panels };
}

/** -SQNR per fp32 tensor (higher = more quantization noise); exact tensors are left out. */
export function quantErrorOverlay(report: QuantDiffSummary): NamedOverlay {
  return {
    id: quantErrorOverlayId,
    label: 'Quantization noise (−SQNR)',
    unit: 'dB',
    scale: 'linear',
    values: report.tensors.flatMap((t): Array<[string, number]> => (t.sqnrDb === null ? [] : [[t.name, -t.sqnrDb]])),
  };
}

/** A float and a quantized model to compare (absolute paths), as the Quantize lens and notification pass them. */
export interface ModelPair {
  readonly fp32: string;
  readonly quant: string;
  readonly data?: string;
  readonly samples?: number;
}

function modelPair(arg: unknown): ModelPair | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { fp32, quant, data, samples } = arg as Record<string, unknown>;
  if (typeof fp32 !== 'string' || typeof quant !== 'string') return undefined;
  return { fp32, quant, ...(typeof data === 'string' ? { data } : {}), ...(typeof samples === 'number' ? { samples } : {}) };
}

async function findRun(
  tasks: TasksApi,
  runId: string | undefined,
  log: vscode.LogOutputChannel,
  accept: (record: RunRecord, report: QuantDiffSummary) => boolean = () => true,
): Promise<{ record: RunRecord; report: QuantDiffSummary } | undefined> {
  const runs = await tasks.service.history().catch(() => []);
  for (const record of runs) {
    if (record.kind !== 'quantdiff' || record.status !== 'succeeded' || (runId !== undefined && record.id !== runId)) continue;
    const parsed = quantDiffReportSchema.safeParse(record.summary);
    if (parsed.success && accept(record, parsed.data)) return { record, report: parsed.data };
    if (parsed.success) continue;
    log.warn(`quantization diff: run ${record.id} has a summary this version cannot read (${parsed.error.issues[0]?.message ?? 'unknown'})`);
  }
  return undefined;
}
