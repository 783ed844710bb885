import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { MeasureError, measureModel } from '../../../src/core/profile/measure/measureModel';
import { badReshape, smallCnn, unknownOp } from './hostModels';

describe('measuring a model on this host with onnxruntime-node', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'aios-measure-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const quick = { warmupRuns: 1, minRuns: 5, maxRuns: 5, profileRuns: 2 } as const;

  it('times runs, profiles every kernel and attributes it to the model nodes', async () => {
    const file = join(dir, 'cnn.onnx');
    await writeModelFile(smallCnn('side'), file);
    const stages: string[] = [];
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('aios-ort-profile-')).length;
    const m = await measureModel(file, { ...quick, given: { image: [1, 3, 40, 40] }, progress: (stage) => stages.push(stage) });
    assert.equal(m.runs, 5);
    assert.ok(m.p50Ms > 0 && m.p50Ms <= m.p90Ms && m.p90Ms <= m.p99Ms, JSON.stringify(m));
    assert.deepEqual(m.inputs, [{ name: 'image', dims: [1, 3, 40, 40] }], 'the given size of the dynamic dim is used');
    assert.match(m.ortVersion, /^1\.\d+\.\d+/);
    const conv1 = m.layers.find((l) => l.node === '/stage1/conv');
    assert.ok(conv1 && conv1.ms > 0, `stage1 conv measured: ${JSON.stringify(m.layers)}`);
    // onnxruntime folds the BatchNormalization into the Conv and fuses the Relu: one kernel covers the three nodes.
    assert.deepEqual(conv1.covers, ['/stage1/bn', '/stage1/relu']);
    assert.ok(m.layers.some((l) => l.node === 'fc'), 'the Gemm is measured');
    assert.deepEqual([...new Set(stages)], ['load', 'time', 'profile', 'done']);
    assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('aios-ort-profile-')).length, before, 'the profile file is removed');
  });

  it('counts the runs with the clock it is given', async () => {
    const file = join(dir, 'cnn-clock.onnx');
    await writeModelFile(smallCnn(16), file);
    let t = 0;
    // The clock advances 5 "ms" per reading: each run takes 5 ms, so a 30 ms target takes 6 runs (more than the minimum 2).
    const m = await measureModel(file, { warmupRuns: 0, minRuns: 2, maxRuns: 50, targetMs: 30, profileRuns: 1, now: () => (t += 5) });
    assert.equal(m.runs, 6);
    assert.equal(m.p50Ms, 5);
    const capped = await measureModel(file, { warmupRuns: 0, minRuns: 2, maxRuns: 4, targetMs: 30, profileRuns: 1, now: () => (t += 5) });
    assert.equal(capped.runs, 4, 'maxRuns caps the timed runs');
  });

  it('stops when cancelled', async () => {
    const file = join(dir, 'cnn-cancel.onnx');
    await writeModelFile(smallCnn(16), file);
    const controller = new AbortController();
    const run = measureModel(file, { ...quick, maxRuns: 10_000, minRuns: 10_000, signal: controller.signal, progress: (stage) => stage === 'time' && controller.abort() });
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('says which model onnxruntime cannot run, at which input sizes, and what to do', async () => {
    const file = join(dir, 'bad-reshape.onnx');
    await writeModelFile(badReshape(), file);
    await assert.rejects(measureModel(file, quick), (e: unknown) => {
      assert.ok(e instanceof MeasureError);
      assert.match(e.message, /^onnxruntime-node cannot run bad-reshape\.onnx with inputs x=1×6: .*Reshape.*--input NAME=d0,d1/);
      return true;
    });
  });

  it('says which model onnxruntime cannot load', async () => {
    const file = join(dir, 'unknown-op.onnx');
    await writeModelFile(unknownOp(), file);
    await assert.rejects(measureModel(file, quick), (e: unknown) => e instanceof MeasureError && /^onnxruntime-node 1\.\d+\.\d+ cannot load unknown-op\.onnx: .*com\.example/.test(e.message));
  });
});
