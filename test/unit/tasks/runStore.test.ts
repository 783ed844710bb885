import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunRecord } from '../../../src/core/tasks/runRecord';
import { newRunId, openRunStore, runsDirFor, staleAfterMs } from '../../../src/core/tasks/runStore';
import { alive, pidInLog, scratch, writerProcess } from './harness';

/** A finished record as the queue writes it, `daysAgo` old. */
function finished(now: Date, daysAgo: number, status: RunRecord['status'] = 'succeeded'): RunRecord {
  const at = new Date(now.getTime() - daysAgo * 86_400_000);
  const id = newRunId(at);
  return {
    id,
    kind: 'test-light',
    status,
    queuedAt: at.toISOString(),
    startedAt: at.toISOString(),
    endedAt: at.toISOString(),
    command: 'fixture',
    cwd: '/',
    inputs: [],
    outputs: [],
    summary: null,
    params: {},
    log: '',
    owner: { pid: process.pid, hostname: hostname(), heartbeatAt: at.toISOString() },
  };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** Starts the second-writer script and resolves its JSON lines as they come. */
function writer(runsDir: string, count: number, slices: number, sliceMs: number): { child: ChildProcess; line: (key: string) => Promise<Record<string, unknown>>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [writerProcess, runsDir, String(count), String(slices), String(sliceMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiting: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as Record<string, unknown>);
    waiting.splice(0).forEach((w) => w());
  });
  const line = async (key: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = lines.find((l) => key in l);
      if (found) return found;
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, line, exit };
}

describe('run store', function () {
  // Forks job processes; a loaded 2-core machine makes that slow.
  this.timeout(60_000);

  it('puts runs under .aios/runs, or AIOS_RUNS_DIR', () => {
    assert.equal(runsDirFor('/w', {}), join('/w', '.aios', 'runs'));
    assert.equal(runsDirFor('/w', { AIOS_RUNS_DIR: '/elsewhere' }), '/elsewhere');
  });

  it('gives unique, time-sortable ids', () => {
    const at = new Date('2026-12-07T12:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newRunId(at));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(newRunId(new Date('2026-12-07T12:00:00.001Z')) > ids[0]!);
  });

  it('two writers in two processes do not corrupt each other, and a reader never sees a partial record', async () => {
    const runsDir = join(scratch('writers'), 'runs');
    const writers = [writer(runsDir, 8, 3, 5), writer(runsDir, 8, 3, 5)];
    let reads = 0;
    let stop = false;
    const exits = Promise.all(writers.map((w) => w.exit)).finally(() => (stop = true));
    // Read every run.json raw while both write: each must be one whole JSON document.
    while (!stop) {
      for (const name of safeReaddir(runsDir)) {
        let text: string;
        try {
          text = readFileSync(join(runsDir, name, 'run.json'), 'utf8');
        } catch {
          continue; // folder created, record not yet renamed into place
        }
        assert.doesNotThrow(() => JSON.parse(text), `a whole record in ${name}`);
        reads++;
      }
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await exits, [0, 0]);
    assert.ok(reads > 0, 'the reader saw records while they were written');
    const records = await openRunStore(runsDir).list();
    assert.equal(records.length, 16);
    assert.ok(records.every((r) => r.status === 'succeeded'), records.map((r) => `${r.id} ${r.status} ${r.error ?? ''}`).join('\n'));
    assert.equal(new Set(records.map((r) => r.owner.pid)).size, 2, 'two owners');
    for (const r of records) assert.match(readFileSync(r.log, 'utf8'), /queued: fixture 3x5ms[\s\S]*succeeded/);
  });

  it('shows a run whose process died as failed and interrupted, and its job process ends too', async () => {
    const runsDir = join(scratch('killed'), 'runs');
    const w = writer(runsDir, 1, 100_000, 10);
    let id: string | undefined;
    try {
      [id] = (await w.line('running'))['running'] as string[];
      assert.equal((await openRunStore(runsDir).read(id!))?.status, 'running');
    } finally {
      w.child.kill('SIGKILL');
    }
    await w.exit;
    const store = openRunStore(runsDir);
    const record = await store.read(id!);
    assert.equal(record?.status, 'failed');
    assert.equal(record?.interrupted, true);
    assert.match(record?.error ?? '', /the process that ran it \(pid \d+\) ended before the run finished/);
    assert.notEqual(record?.endedAt, null);
    const onDisk = JSON.parse(readFileSync(join(runsDir, id!, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(onDisk.status, 'failed', 'settled on disk, so every reader agrees');
    // The orphaned job process notices that its parent is gone and stops.
    const jobPid = pidInLog(readFileSync(record!.log, 'utf8'));
    const deadline = Date.now() + 5000;
    while (alive(jobPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(jobPid), false, 'the orphaned job process ended');
  });

  it('treats a silent heartbeat as interrupted, a fresh one as alive', async () => {
    const runsDir = join(scratch('stale'), 'runs');
    const now = new Date();
    const store = openRunStore(runsDir, () => now);
    const base = finished(now, 0);
    const live: RunRecord = { ...base, id: newRunId(now), status: 'running', endedAt: null };
    const silent: RunRecord = { ...base, id: newRunId(now), status: 'running', endedAt: null, owner: { pid: process.pid, hostname: 'other-host', heartbeatAt: new Date(now.getTime() - staleAfterMs - 1000).toISOString() } };
    const dead: RunRecord = { ...base, id: newRunId(now), status: 'queued', startedAt: null, endedAt: null, owner: { ...base.owner, pid: deadPid() } };
    for (const r of [live, silent, dead]) await store.write(r);
    assert.equal((await store.read(live.id))?.status, 'running');
    const silentRead = await store.read(silent.id);
    assert.equal(silentRead?.status, 'failed');
    assert.match(silentRead?.error ?? '', /on other-host\) stopped reporting 31 s ago/);
    assert.equal((await store.read(dead.id))?.interrupted, true);
  });

  it('skips folders that are not (yet) runs, and garbage records, without failing', async () => {
    const runsDir = join(scratch('partial'), 'runs');
    const store = openRunStore(runsDir);
    assert.deepEqual(await store.list(), [], 'no runs folder yet');
    const good = finished(new Date(), 0);
    await store.write(good);
    mkdirSync(join(runsDir, 'being-created'));
    mkdirSync(join(runsDir, 'garbage'));
    writeFileSync(join(runsDir, 'garbage', 'run.json'), '{"id": "garbage", "status": "runn');
    mkdirSync(join(runsDir, 'wrong-shape'));
    writeFileSync(join(runsDir, 'wrong-shape', 'run.json'), '{"id": "wrong-shape", "status": "exploded"}');
    writeFileSync(join(runsDir, 'stray-file'), 'x');
    assert.deepEqual((await store.list()).map((r) => r.id), [good.id]);
    assert.equal(await store.read('../escape'), undefined);
  });

  it('prunes finished runs beyond the count and age limits, never queued or running ones', async () => {
    const runsDir = join(scratch('prune'), 'runs');
    const now = new Date();
    const store = openRunStore(runsDir, () => now);
    const old = finished(now, 10, 'failed');
    const recent = [3, 2, 1].map((d) => finished(now, d));
    const started = finished(now, 20);
    // Started 20 days ago and still alive: its owner (this process) reported just now.
    const running: RunRecord = { ...started, status: 'running', endedAt: null, owner: { ...started.owner, heartbeatAt: now.toISOString() } };
    for (const r of [old, ...recent, running]) await store.write(r);
    assert.deepEqual(await store.prune({ maxAgeDays: 7 }), [old.id]);
    assert.deepEqual((await store.prune({ keep: 2 })).sort(), [recent[0]!.id]);
    const left = (await store.list()).map((r) => r.id);
    assert.deepEqual(left.sort(), [running.id, recent[1]!.id, recent[2]!.id].sort());
    assert.equal(await store.delete(running.id), false, 'a running run is not deleted');
    assert.equal(await store.delete(recent[1]!.id), true);
    assert.deepEqual(readdirSync(runsDir).sort(), [running.id, recent[2]!.id].sort(), 'no hidden leftovers of the deletion');
  });
});

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}
