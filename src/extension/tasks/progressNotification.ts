import * as vscode from 'vscode';
import { formatPercent } from '../../core/tasks/display/progressLine';
import type { TrackedJob } from './trackedJob';
import { CoalescedRun } from '../util/coalescedRun';

/**
 * A notification that follows a job to its end: `waiting in the queue`, then stage, message
 * and percent, with Cancel. At the end a message says how it went and offers its log.
 */
export function showJobProgress(job: TrackedJob, openLog: (runId: string) => unknown): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `AIOS ${job.title}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      const update = () => {
        if (job.state === 'queued') return progress.report({ message: 'waiting in the queue…' });
        const p = job.progress;
        const fraction = p?.fraction;
        // withProgress takes increments; never go backwards.
        const increment = fraction !== undefined && Number.isFinite(fraction) ? Math.max(0, Math.min(100, fraction * 100) - reported) : 0;
        reported += increment;
        progress.report({ message: p ? `${p.stage}${p.message ? ` · ${p.message}` : ''} (${formatPercent(fraction)})` : 'starting…', increment });
      };
      // Progress arrives many times a second; the notification is redrawn at most four times a second.
      const redraw = new CoalescedRun(update, 250);
      const subscription = job.onDidChange(() => redraw.schedule());
      const cancel = token.onCancellationRequested(() => job.cancel());
      update();
      return job.done.finally(() => {
        redraw.dispose();
        subscription.dispose();
        cancel.dispose();
      });
    },
  );
  void job.done.then(async (outcome) => {
    if (outcome.status === 'succeeded') return;
    const text = outcome.status === 'cancelled' ? `AIOS ${job.title} was cancelled.` : `AIOS ${job.title} failed: ${outcome.error ?? 'see its log'}.`;
    const show = outcome.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    if ((await show(text, 'Open Log')) === 'Open Log' && outcome.runId) await openLog(outcome.runId);
  });
}
