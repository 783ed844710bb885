/**
 * Task runner (issue 11 item 8, core half): how long from `enqueue()` of an `aios run` job until
 * its record says running (the job process has loaded the job; run.json is written), against a bare `child_process.fork` of an empty script measured
 * interleaved in the same run; and the event-loop delay of the queue's process while a heavy
 * job runs and reports progress, against the same process idle for as long.
 * Standalone: `node out/bench/tasks.bench.js`.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTaskQueue } from '../src/core/tasks/createTaskQueue';
import { builtinJobKinds } from '../src/core/tasks/kinds/builtinJobKinds';
import { JobKindRegistry } from '../src/core/tasks/registry';
import type { TaskQueue } from '../src/core/tasks/taskQueue';
import { jobKinds } from '../test/fixtures/tasks/fixtureJobs';
import { formatTable, median, type BenchTable } from './harness';

export const name = 'tasks';

const goalMs = 200;
const delayGoalMs = 50;
const rounds = 20;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (n: number) => Number(n.toFixed(1));

/** fork() of a script that only says hello: the floor for any job process. */
function bareFork(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [] });
    child.once('message', () => {
      const took = performance.now() - t;
      child.kill();
      resolve(took);
    });
    child.once('error', reject);
  });
}

/** enqueue() of an `aios run` job until its record says running (on disk, the event the editor shows); waits for the job to end. */
async function enqueueToRunning(queue: TaskQueue, useCase: string): Promise<number> {
  const t = performance.now();
  let running: number | undefined;
  const handle = queue.enqueue({ kind: 'run', inputs: { useCases: [useCase] } });
  const subscription = queue.onDidChange((e) => {
    if (e.type === 'changed' && e.record.id === handle.id && e.record.status === 'running') running ??= performance.now() - t;
  });
  const record = await handle.finished;
  subscription.dispose();
  if (record.status !== 'succeeded' || running === undefined) throw new Error(`bench job ${record.status}: ${record.error}`);
  return running;
}

/** p99 / max event-loop delay of this process over `durationMs` while `during` runs. */
async function loopDelay(during: () => Promise<unknown>): Promise<{ p99: number; max: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const t = performance.now();
  histogram.enable();
  await during();
  histogram.disable();
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, ms: performance.now() - t };
}

export async function run(): Promise<BenchTable[]> {
  const repo = join(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-tasks-'));
  const empty = join(dir, 'empty.js');
  writeFileSync(empty, 'process.send({ hello: true });\n');
  const useCase = join(dir, 'bench.usecase.yaml');
  writeFileSync(useCase, 'apiVersion: aios/v1\nkind: UseCase\nname: bench\ndomain: body\n');
  const queueWith = (spareProcess: boolean) =>
    createTaskQueue({
      workerPath: join(repo, 'dist', 'workers', 'job.js'),
      registry: new JobKindRegistry([...builtinJobKinds(), ...jobKinds]),
      runsDir: join(dir, 'runs'),
      cwd: dir,
      history: { keep: 1000 },
      spareProcess,
    });
  const cold = queueWith(false);
  const warm = queueWith(true);
  const base: number[] = [];
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  await bareFork(empty); // warm the file cache
  await enqueueToRunning(cold, useCase);
  await enqueueToRunning(warm, useCase); // its first job is cold; it leaves a spare behind
  for (let i = 0; i < rounds; i++) {
    base.push(await bareFork(empty));
    coldMs.push(await enqueueToRunning(cold, useCase));
    warmMs.push(await enqueueToRunning(warm, useCase));
  }
  await cold.shutdown();
  const row = (label: string, v: number[]) => [label, ms(median(v)), ms(percentile(v, 95)), ms(median(v) / median(base))];
  const verdict = (v: number[]) => `median ${median(v) <= goalMs ? 'met' : 'MISSED'}, p95 ${percentile(v, 95) <= goalMs ? 'met' : 'MISSED'}`;
  const latency: BenchTable = {
    title: `enqueue -> run record says running (aios run job, ${rounds} rounds, interleaved)`,
    columns: ['case', 'median ms', 'p95 ms', 'x baseline'],
    rows: [row('baseline: bare fork of an empty script', base), row('queue, fresh job process (as the CLI)', coldMs), row('queue with spareProcess: true', warmMs)],
    notes: [
      `goal <= ${goalMs} ms: fresh process ${verdict(coldMs)}; with spare ${verdict(warmMs)}`,
      'includes writing run.json (temp + rename) before the event fires; load average at the end: ' + loadavg().map((l) => l.toFixed(1)).join(' '),
    ],
  };

  // A heavy job reporting progress every millisecond, against the same wait with nothing running.
  const heavyMs = 3000;
  const idle = await loopDelay(() => new Promise((r) => setTimeout(r, heavyMs)));
  const busy = await loopDelay(() => warm.enqueue({ kind: 'test-slices', inputs: { slices: heavyMs, sliceMs: 1 } }).finished);
  await warm.shutdown();
  const delay: BenchTable = {
    title: 'event-loop delay of the queue process while a heavy job runs (progress every ms)',
    columns: ['case', 'p99 ms', 'max ms', 'duration ms'],
    rows: [
      ['baseline: idle', ms(idle.p99), ms(idle.max), ms(idle.ms)],
      ['heavy job in its job process', ms(busy.p99), ms(busy.max), ms(busy.ms)],
    ],
    notes: [`goal: p99 <= ${delayGoalMs} ms: ${busy.p99 <= delayGoalMs ? 'met' : 'MISSED'}`],
  };
  return [latency, delay];
}

if (require.main === module) {
  void run().then((tables) => tables.forEach((t) => console.log(`${formatTable(t)}\n`)));
}
