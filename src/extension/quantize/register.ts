import { basename } from 'node:path';
import * as vscode from 'vscode';
import { quantizeJobKind } from '../../core/tasks/kinds/quantizeKind';
import type { ContributionRegistry } from '../commandRegistry';
import type { ModelPair } from '../quantdiff/register';
import type { EnqueueResult, TasksApi } from '../tasks/register';

/** Diffs run on at most this many calibration samples: enough for per-layer SQNR, quick to show. */
const diffSamples = 8;

/** The model pair of a quantize run's summary, or undefined when it is not one this version reads. */
export function pairOfQuantizeRun(summary: unknown): ModelPair | undefined {
  const parsed = quantizeJobKind.summary.safeParse(summary);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  return {
    fp32: s.model,
    quant: s.output,
    ...(s.calibration.synthetic ? {} : { data: s.calibration.data }),
    samples: Math.max(1, Math.min(diffSamples, s.calibration.samples)),
  };
}

/**
 * `aios.quantize(useCase?)`: the quantize job of a use case as a background task (progress,
 * cancel, Recent Runs). When it ends, a notification gives the figure and the gate and offers
 * the quantization diff of the result; the inline result and the SQNR-gate diagnostic come
 * from the run record (extension/results).
 */
export function registerQuantize(registry: ContributionRegistry, tasks: TasksApi): void {
  registry.command('aios.quantize', (arg?: unknown): EnqueueResult => {
    const useCase = tasks.useCaseOf(arg);
    if (!useCase || !/\.usecase\.ya?ml$/.test(useCase)) {
      const message = 'AIOS: open a *.usecase.yaml file (or use its Quantize lens) to quantize its model as its quantization block says.';
      void vscode.window.showInformationMessage(message);
      return { available: false, message };
    }
    const { result, job } = tasks.enqueue('quantize', { input: useCase });
    void job?.done.then(async (outcome) => {
      if (outcome.status !== 'succeeded') return; // the progress notification already says so
      const parsed = quantizeJobKind.summary.safeParse(outcome.summary);
      const pair = pairOfQuantizeRun(outcome.summary);
      if (!parsed.success || !pair) return;
      const s = parsed.data;
      const sqnr = s.outputSqnrDb === null ? 'exact outputs' : `output SQNR ${s.outputSqnrDb.toFixed(1)} dB`;
      const failed = s.gatePassed === false;
      const text = `AIOS: ${basename(s.output)} written: ${sqnr}${s.minSqnrDb !== undefined ? (failed ? `, below minSqnrDb ${s.minSqnrDb} dB` : `, meets minSqnrDb ${s.minSqnrDb} dB`) : ''}.`;
      const action = 'Show Quantization Diff';
      const chosen = failed ? await vscode.window.showWarningMessage(text, action) : await vscode.window.showInformationMessage(text, action);
      if (chosen === action) await vscode.commands.executeCommand('aios.showQuantDiff', pair);
    });
    return result;
  });
}
