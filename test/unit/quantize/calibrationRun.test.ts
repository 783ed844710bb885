import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DataType } from '../../../src/core/onnx/model';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { denseCnn } from '../../../src/core/onnx/fixtures';
import { conv } from '../../../src/core/onnx/fixtures/layers';
import type { Model } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes, writeModelFile } from '../../../src/core/onnx/write';
import { quantizeInt8 } from '../../../src/core/quantize/int8';
import { resolveSettings } from '../../../src/core/quantize/request';
import { runQuantize } from '../../../src/core/quantize/run';
import type { CalibrationMethod } from '../../../src/core/quantize/statistics';
import { addGraphOutputs, addRangeOutputs, openModelSession, openSampleSource } from '../../../src/core/runtime';
import { feedsRunner, type Feeds } from './ortRunner';

async function syntheticFeeds(model: Model, count: number): Promise<Feeds[]> {
  const source = await openSampleSource('synthetic', model.graph, { samples: count });
  const feeds: Feeds[] = [];
  for await (const s of source.samples()) {
    feeds.push(Object.fromEntries(Object.entries(s.feeds).map(([n, t]) => [n, new ort.Tensor('float32', t.data as Float32Array, [...t.dims])])));
  }
  return feeds;
}

describe('calibration through onnxruntime (ranges reduced in the run)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-calibration-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every tensor the max, and the min unless it cannot be negative, of its fetched values', async () => {
    const model = denseCnn({ inputShape: [1, 3, 32, 32] });
    const names = [model.graph.inputs[0]!.name, ...model.graph.nodes.flatMap((n) => n.outputs)];
    const ranged = await addRangeOutputs(model, names);
    assert.deepEqual(ranged.skipped, []);
    const both = await addGraphOutputs(ranged.model, names.slice(1));
    const session = await openModelSession(both.model);
    try {
      const [feeds] = await openSampleSource('synthetic', model.graph, { samples: 1 }).then(async (s) => {
        const all = [];
        for await (const x of s.samples()) all.push(x.feeds);
        return all;
      });
      const out = await session.run(feeds!);
      for (const name of names) {
        const values = (out.get(name) ?? feeds![name])!.data as Float32Array;
        const r = ranged.ranges.get(name)!;
        let [lo, hi] = [Infinity, -Infinity];
        for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
        if (r.min === undefined) assert.ok(lo >= 0, `${name} holds ${lo}, but its min is not computed`);
        else assert.equal(out.get(r.min)!.data[0], lo, `${name} min`);
        assert.equal(out.get(r.max)!.data[0], hi, `${name} max`);
        assert.ok(Number.isFinite(out.get(r.check)!.data[0]));
        // Relu, Sigmoid and Concat/Resize of them cannot be negative; the input and Conv outputs can.
        const op = model.graph.nodes.find((n) => n.outputs.includes(name))?.opType ?? 'input';
        if (['Relu', 'Sigmoid', 'Resize', 'Concat'].includes(op)) assert.equal(r.min, undefined, `${name} (${op})`);
        if (['input', 'Conv', 'BatchNormalization'].includes(op)) assert.notEqual(r.min, undefined, `${name} (${op})`);
      }
    } finally {
      await session.release();
    }
  });

  for (const method of ['minmax', 'entropy'] as CalibrationMethod[]) {
    it(`${method}: aios quantize writes the same bytes as calibrating on every fetched value`, async () => {
      const model = denseCnn({ inputShape: [1, 3, 48, 48], channels: [8, 16] });
      const path = join(dir, 'dense.onnx');
      await writeModelFile(model, path);
      const out = join(dir, 'dense.int8.onnx');
      const settings = resolveSettings({ input: path, calibration: 'synthetic', samples: 3, method, out }, dir);
      const summary = await runQuantize(settings, { signal: new AbortController().signal, cwd: dir, progress: () => undefined, log: () => undefined, output: (p) => p });
      // The ranges come from the first 2 samples; the third is held out to judge the result.
      assert.deepEqual(summary.calibration, { data: 'synthetic', synthetic: true, samples: 3, method, calibrated: 2, judged: 1, judgedIds: ['synthetic-2'] });
      const reference = await quantizeInt8(await readModelFile(path), feedsRunner((await syntheticFeeds(model, 3)).slice(0, 2)), { activations: 'uint8', perChannel: true, keepFloat: [], method, inputShapes: {} });
      assert.deepEqual(readFileSync(out), Buffer.from(await writeModelBytes(reference.model)));
      assert.ok(summary.outputSqnrDb > 20, `${summary.outputSqnrDb} dB`);
    });
  }

  it('refuses an activation that holds NaN, naming the tensor, and writes nothing', async () => {
    const b = new ModelBuilder({ name: 'nan', seed: 2 });
    const x = b.input('x', DataType.FLOAT, [1, 4, 32, 32]);
    // sqrt(x + 2.5) of normal samples: a few NaNs among finite values (ReduceMin/ReduceMax alone skip them).
    const root = b.op('Sqrt', [b.op('Add', [x, b.floats('shift', [2.5], [])])], undefined, 'root');
    b.output(conv(b, 'c', root, { inChannels: 4, outChannels: 4, kernel: 3, bias: true }), DataType.FLOAT, undefined, 'y');
    const path = join(dir, 'nan.onnx');
    await writeModelFile(b.buildModel(), path);
    const out = join(dir, 'nan.int8.onnx');
    const settings = resolveSettings({ input: path, calibration: 'synthetic', samples: 2, out }, dir);
    await assert.rejects(
      runQuantize(settings, { signal: new AbortController().signal, cwd: dir, progress: () => undefined, log: () => undefined, output: (p) => p }),
      (e: Error) => /tensor \S*root\S* holds NaN/.test(e.message),
    );
    assert.throws(() => readFileSync(out));
  });
});
