import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../../../src/core/tasks/fileDigest';
import { JobSpecError } from '../../../src/core/tasks/registry';
import type { RunRecord } from '../../../src/core/tasks/runRecord';
import { openRunStore } from '../../../src/core/tasks/runStore';
import type { TaskQueue } from '../../../src/core/tasks/taskQueue';
import { alive, filesUnder, fixtureQueue, jobWorkerChildren, nextEvent, pidInLog } from './harness';

const ms = (iso: string | null) => Date.parse(iso ?? 'invalid');

describe('task queue', function () {
  // Forks job processes; a loaded 2-core machine makes that slow.
  this.timeout(60_000);
  let queues: TaskQueue[] = [];
  function queueOf(options: Parameters<typeof fixtureQueue>[0] = {}) {
    const made = fixtureQueue(options);
    queues.push(made.queue);
    return made;
  }
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.shutdown()));
    queues = [];
  });

  it('runs heavy jobs one at a time in queue order, light ones beside them, in job processes', async () => {
    const { queue, runsDir } = queueOf();
    const heavy = [0, 1, 2].map(() => queue.enqueue({ kind: 'test-slices', inputs: { slices: 5, sliceMs: 20 } }));
    const light = queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } });
    assert.equal(heavy[0]!.record.status, 'queued');
    const ended = await Promise.all(heavy.map((h) => h.finished));
    const lightEnded = await light.finished;
    for (const record of [...ended, lightEnded]) assert.equal(record.status, 'succeeded', record.error);
    for (let i = 1; i < ended.length; i++) {
      assert.ok(ms(ended[i]!.startedAt) >= ms(ended[i - 1]!.endedAt), `heavy job ${i} started only after job ${i - 1} ended`);
    }
    assert.ok(ms(lightEnded.startedAt) < ms(ended[0]!.endedAt), 'the light job did not wait for the heavy one');
    const pids = [...ended, lightEnded].map((r) => (r.summary as { pid: number }).pid);
    assert.equal(new Set([...pids, process.pid]).size, pids.length + 1, 'every job ran in its own process, none in this one');
    const onDisk = await openRunStore(runsDir).list();
    assert.deepEqual(onDisk.map((r) => r.id).sort(), [...ended, lightEnded].map((r) => r.id).sort());
    assert.ok(onDisk.every((r) => r.status === 'succeeded' && r.endedAt !== null));
  });

  it('runs as many heavy jobs at once as its concurrency allows', async () => {
    const { queue } = queueOf({ concurrency: 2 });
    const handles = [0, 1, 2].map(() => queue.enqueue({ kind: 'test-slices', inputs: { slices: 10, sliceMs: 30 } }));
    const [a, b, c] = await Promise.all(handles.map((h) => h.finished));
    assert.ok(ms(b!.startedAt) < ms(a!.endedAt), 'the second job started while the first ran');
    assert.ok(ms(c!.startedAt) >= Math.min(ms(a!.endedAt), ms(b!.endedAt)), 'the third waited for a free slot');
  });

  it('reports progress and log lines, and writes the output only when the job succeeds', async () => {
    const { queue, dir } = queueOf();
    const progress: string[] = [];
    queue.onDidChange((e) => e.type === 'progress' && progress.push(e.progress.message ?? ''));
    const record = await queue.enqueue({ kind: 'test-slices', inputs: { slices: 3, sliceMs: 1, out: 'result/out.txt' } }).finished;
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(progress, ['slice 1/3', 'slice 2/3', 'slice 3/3']);
    const out = join(dir, 'result', 'out.txt');
    assert.equal(readFileSync(out, 'utf8'), 'slice 0\nslice 1\nslice 2\n');
    assert.deepEqual(record.outputs, [{ path: out, sha256: await sha256File(out) }]);
    assert.match(readFileSync(record.log, 'utf8'), /did 3 slices/);
    assert.deepEqual(filesUnder(join(dir, 'result')), ['out.txt'], 'no temp file left beside the output');
  });

  it('answers a job asking for registry credentials from its store (over IPC, never into the record or log), and none without a store', async () => {
    const secret = 'pa55-w0rd-only-in-memory';
    const asked: string[] = [];
    const { queue } = queueOf({
      credentials: { description: 'test store', get: async (host) => (asked.push(host), host === 'registry.example:5000' ? { kind: 'basic', username: 'ci', password: secret } : undefined) },
    });
    const found = await queue.enqueue({ kind: 'test-credentials', inputs: { host: 'registry.example:5000' } }).finished;
    assert.equal(found.status, 'succeeded', found.error);
    assert.deepEqual(found.summary, { kind: 'basic', username: 'ci', secretLength: secret.length });
    const unknown = await queue.enqueue({ kind: 'test-credentials', inputs: { host: 'other.example' } }).finished;
    assert.deepEqual(unknown.summary, { kind: 'none', secretLength: 0 });
    assert.deepEqual(asked, ['registry.example:5000', 'other.example']);
    for (const record of [found, unknown]) {
      assert.ok(!readFileSync(record.log, 'utf8').includes(secret));
      assert.ok(!JSON.stringify(record).includes(secret));
    }
    const { queue: bare } = queueOf();
    const none = await bare.enqueue({ kind: 'test-credentials', inputs: { host: 'registry.example:5000' } }).finished;
    assert.deepEqual(none.summary, { kind: 'none', secretLength: 0 });
  });

  it('hashes the input files into the record and records the command', async () => {
    const { queue, dir } = queueOf();
    const useCase = join(dir, 'broken.usecase.yaml');
    writeFileSync(useCase, 'name: broken\n');
    const record = await queue.enqueue({ kind: 'run', inputs: { useCases: ['broken.usecase.yaml'] } }).finished;
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.command, 'aios run broken.usecase.yaml');
    assert.deepEqual(record.inputs, [{ path: useCase, sha256: await sha256File(useCase) }]);
    const summary = record.summary as { useCases: Array<{ stages: Array<{ stage: string; status: string }> }> };
    assert.equal(summary.useCases[0]?.stages[0]?.status, 'failed', 'the pipeline ran and found the use case invalid');
  });

  it('refuses an unknown kind or invalid inputs with a clear error, queuing nothing', () => {
    const { queue, runsDir } = queueOf();
    assert.throws(() => queue.enqueue({ kind: 'quantise', inputs: {} }), (e: unknown) => e instanceof JobSpecError && /unknown job kind 'quantise': use one of run, .*test-slices/.test(e.message));
    assert.throws(() => queue.enqueue({ kind: 'test-slices', inputs: { slices: 0, sliceMs: 1 } }), (e: unknown) => e instanceof JobSpecError && /inputs of an 'test-slices' task are not valid: slices:/.test(e.message));
    assert.throws(() => queue.enqueue({ kind: 'run', inputs: { useCases: [] } }), /useCases: name at least one/);
    assert.throws(() => queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 }, cwd: join(runsDir, 'nowhere') }), /cannot run an 'test-light' task in .*nowhere: the folder does not exist/);
    assert.deepEqual(queue.list(), []);
    assert.equal(existsSync(runsDir), false);
    assert.throws(() => fixtureQueue({ workerPath: join(runsDir, 'job.js') }), /the job worker .*job\.js is missing/);
  });

  it('cancels a queued job: it never starts', async () => {
    const { queue } = queueOf();
    const first = queue.enqueue({ kind: 'test-slices', inputs: { slices: 200, sliceMs: 10 } });
    const second = queue.enqueue({ kind: 'test-slices', inputs: { slices: 1, sliceMs: 1 } });
    assert.equal(queue.cancel(second.id), true);
    const record = await second.finished;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.startedAt, null);
    assert.equal(record.error, 'cancelled before it started');
    assert.equal(queue.cancel(second.id), false, 'a finished job cannot be cancelled again');
    queue.cancel(first.id);
    assert.equal((await first.finished).status, 'cancelled');
  });

  it('cancels a running job: its process is gone within 2 s, its half-written output removed, status cancelled', async () => {
    const { queue, dir } = queueOf();
    const handle = queue.enqueue({ kind: 'test-slices', inputs: { slices: 10_000, sliceMs: 20, out: 'out.txt' } });
    await nextEvent(queue, (e) => e.type === 'progress' && e.id === handle.id);
    const pid = queue.list().find((r) => r.id === handle.id)?.jobPid;
    assert.ok(pid !== undefined && alive(pid), 'the job process runs');
    assert.ok(filesUnder(dir).some((f) => f.startsWith('.out.txt.')), 'the job has half-written its temp output');
    const cancelledAt = Date.now();
    assert.equal(queue.cancel(handle.id), true);
    const record = await handle.finished;
    const took = Date.now() - cancelledAt;
    assert.equal(record.status, 'cancelled');
    assert.equal(alive(pid), false, 'the job process is gone');
    assert.ok(took < 2000, `cancelled in ${took} ms`);
    assert.equal(record.summary, null);
    assert.deepEqual(record.outputs, []);
    assert.deepEqual(filesUnder(dir).filter((f) => !f.startsWith('.aios')), [], 'no output and no temp file');
    assert.doesNotMatch(readFileSync(record.log, 'utf8'), /killing/, 'it stopped on its abort signal, without a kill');
  });

  it('kills a job that ignores its abort signal after the grace period', async () => {
    const { queue, dir } = queueOf({ graceMs: 500 });
    const handle = queue.enqueue({ kind: 'test-stubborn', inputs: { slices: 600, sliceMs: 100, out: 'out.txt' } });
    await nextEvent(queue, (e) => e.type === 'progress' && e.id === handle.id);
    const cancelledAt = Date.now();
    queue.cancel(handle.id);
    const record = await handle.finished;
    const took = Date.now() - cancelledAt;
    const log = readFileSync(record.log, 'utf8');
    assert.equal(record.status, 'cancelled');
    assert.ok(took >= 500 && took < 2000, `killed after the grace, in ${took} ms`);
    assert.match(log, /did not stop within 500 ms: killing its process/);
    assert.equal(alive(pidInLog(log)), false);
    assert.deepEqual(filesUnder(dir).filter((f) => !f.startsWith('.aios')), [], 'no output and no temp file');
  });

  it('ends a crashing job as failed, with what it printed in its log and no output', async () => {
    const { queue, dir } = queueOf();
    const record = await queue.enqueue({ kind: 'test-crash', inputs: { slices: 1, sliceMs: 1, out: 'out.txt' } }).finished;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /the job process exited with code 1 before the job finished; see the log/);
    const log = readFileSync(record.log, 'utf8');
    assert.match(log, /fixture: about to crash/);
    assert.match(log, /Error: fixture crash: boom/);
    assert.deepEqual(filesUnder(dir).filter((f) => !f.startsWith('.aios')), []);
    const onDisk = await openRunStore(join(dir, '.aios', 'runs')).read(record.id);
    assert.equal(onDisk?.status, 'failed');
  });

  it('ends a job that rejects as failed with its message, and goes on with the next', async () => {
    const { queue, dir } = queueOf();
    const failing = queue.enqueue({ kind: 'test-fail', inputs: { slices: 1, sliceMs: 1, out: 'out.txt' } });
    const next = queue.enqueue({ kind: 'test-slices', inputs: { slices: 1, sliceMs: 1 } });
    const record = await failing.finished;
    assert.equal(record.status, 'failed');
    assert.equal(record.error, 'fixture failure: the input is unusable');
    assert.equal((await next.finished).status, 'succeeded');
    assert.deepEqual(filesUnder(dir).filter((f) => !f.startsWith('.aios')), []);
  });

  it('lists its jobs: active first, then finished ones newest first', async () => {
    const { queue } = queueOf();
    const done = await queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }).finished;
    const running = queue.enqueue({ kind: 'test-slices', inputs: { slices: 10_000, sliceMs: 10 } });
    const queued = queue.enqueue({ kind: 'test-slices', inputs: { slices: 1, sliceMs: 0 } });
    await nextEvent(queue, (e) => e.type === 'changed' && e.record.id === running.id && e.record.status === 'running');
    const listed: RunRecord[] = [...queue.list()];
    assert.deepEqual(listed.map((r) => [r.id, r.status]), [
      [running.id, 'running'],
      [queued.id, 'queued'],
      [done.id, 'succeeded'],
    ]);
    await queue.shutdown();
    assert.deepEqual(queue.list().map((r) => r.status), ['cancelled', 'cancelled', 'succeeded']);
    assert.throws(() => queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }), /shut down/);
  });

  it('starts the next job in a spare process started ahead, and stops the spare on shutdown', async () => {
    const { queue } = queueOf({ spareProcess: true });
    const first = await queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }).finished;
    const spares = jobWorkerChildren();
    assert.equal(spares.length, 1, 'one spare job process waits after the first job');
    assert.notEqual(spares[0], (first.summary as { pid: number }).pid);
    const second = await queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }).finished;
    assert.equal((second.summary as { pid: number }).pid, spares[0], 'the second job ran in the spare');
    assert.equal(jobWorkerChildren().length, 1, 'a new spare replaced it');
    await queue.shutdown();
    assert.deepEqual(jobWorkerChildren().filter(alive).length, 0, 'no job process is left after shutdown');
  });

  it('starts no spare process unless asked to', async () => {
    const { queue } = queueOf();
    await queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }).finished;
    assert.deepEqual(jobWorkerChildren(), []);
  });

  it('keeps the history to its policy after every run, never pruning a running one', async () => {
    const { queue, runsDir } = queueOf({ history: { keep: 2 } });
    const long = queue.enqueue({ kind: 'test-slices', inputs: { slices: 10_000, sliceMs: 10 } });
    await nextEvent(queue, (e) => e.type === 'changed' && e.record.id === long.id && e.record.status === 'running');
    const quick: string[] = [];
    for (let i = 0; i < 4; i++) quick.push((await queue.enqueue({ kind: 'test-light', inputs: { slices: 1, sliceMs: 0 } }).finished).id);
    const kept = (await openRunStore(runsDir).list()).map((r) => r.id);
    assert.deepEqual(kept.sort(), [long.id, quick[2]!, quick[3]!].sort());
    queue.cancel(long.id);
    await long.finished;
  });
});
