import { relative } from 'node:path';
import { createTaskQueue } from '../core/tasks/createTaskQueue';
import { findJobWorker } from '../core/tasks/findJobWorker';
import type { JobKind } from '../core/tasks/jobKind';
import { builtinJobKinds } from '../core/tasks/kinds/builtinJobKinds';
import { JobKindRegistry } from '../core/tasks/registry';
import type { TypedRunRecord } from '../core/tasks/runRecord';
import { runsDirFor } from '../core/tasks/runStore';
import { RunCancelled } from './errors';
import type { CliIo } from './io';

/**
 * Runs one job of a built-in kind the way the editor's tasks do: in a job process, recorded in
 * the runs folder under the current folder (or AIOS_RUNS_DIR). Ctrl-C or SIGTERM cancels it
 * (RunCancelled: exit 130, status cancelled, no output left). Progress goes to stderr on a terminal.
 */
export async function runJobInCli<I, S>(io: CliIo, kind: JobKind<I, S>, inputs: I): Promise<{ summary: S; record: TypedRunRecord<S> }> {
  const queue = createTaskQueue({
    workerPath: findJobWorker(),
    registry: new JobKindRegistry(builtinJobKinds()),
    runsDir: runsDirFor(io.cwd),
    cwd: io.cwd,
  });
  const interrupt = io.interrupts?.handle();
  try {
    const handle = queue.enqueue({ kind: kind.kind, inputs });
    const shownLog = relative(io.cwd, handle.record.log);
    queue.onDidChange((event) => {
      if (event.type === 'changed' && event.record.id === handle.id && event.record.status === 'running') {
        io.stderr.write(`aios: run ${handle.id} running (log: ${shownLog})\n`);
      } else if (event.type === 'progress' && io.stderr.isTTY) {
        const percent = event.progress.fraction === undefined ? '' : ` ${Math.round(event.progress.fraction * 100)}%`;
        io.stderr.write(`  ${event.progress.stage}${percent} ${event.progress.message ?? ''}\n`);
      }
    });
    const onInterrupt = () => queue.cancel(handle.id);
    if (io.interrupts?.signal.aborted) onInterrupt();
    io.interrupts?.signal.addEventListener('abort', onInterrupt, { once: true });
    const record = await handle.finished;
    io.interrupts?.signal.removeEventListener('abort', onInterrupt);
    if (record.status === 'cancelled') throw new RunCancelled(`cancelled; run ${record.id} is recorded as cancelled and left no output`);
    if (record.status !== 'succeeded') throw new Error(`the ${kind.kind} run failed: ${record.error ?? 'no reason given'} (log: ${shownLog})`);
    const summary = kind.summary.parse(record.summary);
    return { summary, record: { ...record, summary } };
  } finally {
    await queue.shutdown();
    interrupt?.dispose();
  }
}
