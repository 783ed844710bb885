import { createTaskQueue } from './createTaskQueue';
import { findJobWorker } from './findJobWorker';
import type { JobContext, JobProgress } from './jobKind';
import { builtinJobKinds } from './kinds/builtinJobKinds';
import { JobKindRegistry } from './registry';
import type { RunRecord } from './runRecord';

/**
 * Runs another built-in job from inside a running job (the release runs the profile or quantize
 * its gates need): in its own job process, with its own run record in `runsDir`, its progress
 * forwarded to the outer job as `<kind>: <stage>`, and cancelled with the outer job.
 * Resolves with the ended record (succeeded, failed or cancelled); never rejects on failure.
 */
export async function runNestedJob(context: Pick<JobContext, 'signal' | 'cwd' | 'progress' | 'log'>, runsDir: string, kind: string, inputs: unknown): Promise<RunRecord> {
  context.signal.throwIfAborted();
  const queue = createTaskQueue({ workerPath: findJobWorker(), registry: new JobKindRegistry(builtinJobKinds()), runsDir, cwd: context.cwd });
  try {
    const handle = queue.enqueue({ kind, inputs });
    context.log(`running ${handle.record.command} now (run ${handle.id}): the release needs its result`);
    queue.onDidChange((event) => {
      if (event.type === 'progress' && event.id === handle.id) context.progress(nested(kind, event.progress));
      else if (event.type === 'log' && event.id === handle.id) context.log(`[${kind}] ${event.line}`);
    });
    const cancel = () => queue.cancel(handle.id);
    context.signal.addEventListener('abort', cancel, { once: true });
    const record = await handle.finished;
    context.signal.removeEventListener('abort', cancel);
    context.log(`${kind} run ${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}`);
    return record;
  } finally {
    await queue.shutdown();
  }
}

function nested(kind: string, progress: JobProgress): JobProgress {
  // The outer job's fraction is unknown while the nested one runs: its own goes into the message.
  const percent = progress.fraction === undefined ? '' : ` ${Math.round(progress.fraction * 100)}%`;
  return { stage: `${kind}: ${progress.stage}`, message: `${progress.message ?? ''}${percent}`.trim() };
}
