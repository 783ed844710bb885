import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TriggerCounter } from '../../../src/core/replay/triggerCounter';
import { runCliCaptured } from './runCli';

describe('aios replay', function () {
  this.timeout(120_000);

  it('counts firings as the condition turning true, and captures only outside a running capture', () => {
    const c = new TriggerCounter('x', 10, 5);
    // 1 Hz: true at 0-2 (one firing, capture 0-10), at 5 (inside the capture), at 12 and 30.
    const holds = new Set([0, 1, 2, 5, 12, 30]);
    for (let t = 0; t < 36; t++) c.add(holds.has(t), t);
    const r = c.result(36, 2, 1000);
    assert.equal(r.samplesTrue, 6);
    assert.equal(r.fired, 4);
    assert.equal(r.captures, 3);
    assert.equal(r.perHour, 400); // 4 in 36 s
    assert.equal(r.capturesPerDay, 600); // 300 an hour, 2 hours a day
    assert.equal(r.withinMaxPerDay, false);
    assert.equal(r.uplinkBytesPerDay, 5 * 10 * 1000); // capped at maxPerDay captures of 10 s at 1000 B/s
  });

  it('replays the chassis sample: --json per SPEC, figures consistent with each other', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'aios-replay-'));
    const run = await runCliCaptured(['replay', join(process.cwd(), 'samples/chassis/road-surface.usecase.yaml'), '--data', join(process.cwd(), 'samples/chassis/data/replay'), '--json'], cwd);
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as { samples: number; rate: number; rateFrom: string; durationSeconds: number; bytesPerSample: number; capturesPerDay: number; uplinkBytesPerDay: number; withinMaxPerDay: boolean; triggers: Array<{ when: string; fired: number; perHour: number; captures: number; capturesPerDay: number; maxPerDay: number; capture: number }> };
    assert.equal(r.samples, 96);
    assert.equal(r.rateFrom, 'dataLoop.sampleRate');
    assert.equal(r.durationSeconds, 96);
    assert.equal(r.bytesPerSample, 7 * 128 * 4);
    const t = r.triggers[0]!;
    assert.ok(t.fired >= 1 && t.captures <= t.fired);
    assert.ok(Math.abs(t.perHour - t.fired * 3600 / 96) < 1e-9);
    assert.ok(Math.abs(r.uplinkBytesPerDay - Math.min(t.capturesPerDay, t.maxPerDay) * t.capture * r.rate * r.bytesPerSample) < 1e-6);
    assert.equal(r.withinMaxPerDay, t.capturesPerDay <= t.maxPerDay);
    // --rate overrides the use case: twice the rate, half the recorded time, twice the rates per hour.
    const fast = JSON.parse((await runCliCaptured(['replay', join(process.cwd(), 'samples/chassis/road-surface.usecase.yaml'), '--data', join(process.cwd(), 'samples/chassis/data/replay'), '--rate', '2', '--json'], cwd)).stdout) as typeof r;
    assert.equal(fast.rateFrom, '--rate');
    assert.equal(fast.durationSeconds, 48);
    assert.ok(Math.abs(fast.triggers[0]!.perHour - 2 * t.perHour) < 1e-9);
  });

  it('replays dataLoop.data when --data is not given, and says what to set when neither is there (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-replay-'));
    cpSync(join(process.cwd(), 'samples/chassis'), dir, { recursive: true });
    const file = join(dir, 'road-surface.usecase.yaml');
    const given = JSON.parse((await runCliCaptured(['replay', file, '--data', join(dir, 'data/replay'), '--json'], dir)).stdout) as { samples: number; data: string; triggers: unknown[] };
    const defaulted = await runCliCaptured(['replay', file, '--json'], dir);
    assert.equal(defaulted.code, 0, defaulted.stderr);
    assert.deepEqual(JSON.parse(defaulted.stdout).triggers, given.triggers);
    assert.equal(JSON.parse(defaulted.stdout).data, 'data/replay');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  data: data/replay/\n', ''));
    const none = await runCliCaptured(['replay', file], dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no recorded data to replay: give --data DIR, or set dataLoop.data in /);
  });

  it('validation flags a dataLoop.data folder that is missing or holds no samples (AIOS348)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-replay-'));
    cpSync(join(process.cwd(), 'samples/chassis'), dir, { recursive: true });
    const file = join(dir, 'road-surface.usecase.yaml');
    const ok = await runCliCaptured(['validate', file, '--json'], dir);
    assert.doesNotMatch(ok.stdout, /AIOS348/);
    writeFileSync(file, readFileSync(file, 'utf8').replace('data: data/replay/', 'data: data/replays/'));
    const missing = await runCliCaptured(['validate', file], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout + missing.stderr, /AIOS348.*replay folder not found: data\/replays\//);
    writeFileSync(file, readFileSync(file, 'utf8').replace('data: data/replays/', 'data: models/'));
    const empty = await runCliCaptured(['validate', file], dir);
    assert.match(empty.stdout + empty.stderr, /AIOS348.*replay folder models\/ holds no \.npy samples/);
  });

  it('refuses a trigger on an output the model does not have, before running anything (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-replay-'));
    cpSync(join(process.cwd(), 'samples/chassis'), dir, { recursive: true });
    const file = join(dir, 'road-surface.usecase.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('surface.ice > 0.21', 'surfce.ice > 0.21'));
    const run = await runCliCaptured(['replay', file, '--data', join(dir, 'data/replay')], dir);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^aios: dataLoop.triggers\[0\] .*the model has no output 'surfce'.*did you mean surface\?\n$/);
  });
});
