import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes, writeModelFile } from '../../../src/core/onnx/write';
import { addGraphOutputs, openModelSession } from '../../../src/core/runtime/graphOutputs';
import { runSamples } from '../../../src/core/runtime/runSamples';
import { openSampleSource } from '../../../src/core/runtime/samples';
import { openSession } from '../../../src/core/runtime/session';
import { toFloat32 } from '../../../src/core/runtime/tensors';

/** y = relu(x · W + b) · 2, with the intermediate tensors named. */
function smallMlp(): { model: Model; w: Float32Array; b: Float32Array } {
  const m = new ModelBuilder({ name: 'mlp', seed: 3 });
  const x = m.input('x', DataType.FLOAT, ['batch', 4]);
  const w = m.rng.normalArray(12, 1);
  const b = m.rng.normalArray(3, 1);
  const mm = m.node('MatMul', [x, m.initializer('W', [4, 3], w)], { name: 'mm', outputs: ['mm_out'] })[0] as string;
  const add = m.node('Add', [mm, m.initializer('B', [3], b)], { name: 'add', outputs: ['add_out'] })[0] as string;
  const relu = m.node('Relu', [add], { name: 'relu', outputs: ['relu_out'] })[0] as string;
  const y = m.node('Mul', [relu, m.floats('two', [2], [])], { name: 'double', outputs: ['y'] })[0] as string;
  m.output(y, DataType.FLOAT, ['batch', 3]);
  return { model: m.buildModel(), w, b };
}

function reference(x: Float32Array, w: Float32Array, b: Float32Array) {
  const rows = x.length / 4;
  const add = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += (x[r * 4 + k] ?? 0) * (w[k * 3 + j] ?? 0);
      add[r * 3 + j] = s + (b[j] ?? 0);
    }
  }
  return { add, relu: add.map((v) => Math.max(0, v)) };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] ?? 0) - (b[i] ?? 0)) < 1e-5, `element ${i}: ${a[i]} vs ${b[i]}`);
};

describe('runtime: onnxruntime sessions and intermediate outputs', () => {
  it('runs a model from bytes and fetches intermediate tensors added as graph outputs', async () => {
    const { model, w, b } = smallMlp();
    const added = await addGraphOutputs(model, ['add_out', 'relu_out', 'y', 'W', 'x', 'nope']);
    assert.deepEqual(added.fetchable, ['add_out', 'relu_out', 'y']);
    assert.deepEqual(added.skipped.map((s) => [s.name, s.reason]), [
      ['W', 'an initializer (a constant), not computed'],
      ['x', 'a graph input'],
      ['nope', 'not produced by a node of the main graph'],
    ]);
    // The original model is left as it was.
    assert.deepEqual(model.graph.outputs.map((o) => o.name), ['y']);
    const session = await openModelSession(added.model);
    try {
      const x = new Float32Array([1, -2, 0.5, 3, -1, -1, 2, 0.25]);
      const out = await session.run({ x: { type: 'float32', dims: [2, 4], data: x } }, { fetch: added.fetchable });
      const want = reference(x, w, b);
      close(toFloat32(out.get('add_out') ?? assert.fail('no add_out')), want.add);
      close(toFloat32(out.get('relu_out') ?? assert.fail('no relu_out')), want.relu);
      close(toFloat32(out.get('y') ?? assert.fail('no y')), want.relu.map((v) => 2 * v));
      assert.deepEqual(out.get('y')?.dims, [2, 3]);
      assert.ok(want.add.some((v) => v < 0), 'the test input exercises the relu');
    } finally {
      await session.release();
    }
  });

  it('opens a model with external weights through a private copy, and a path directly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-'));
    try {
      const { model } = smallMlp();
      const path = join(dir, 'mlp.onnx');
      await writeModelFile(model, path, { externalData: { location: 'mlp.onnx.data', threshold: 0 } });
      const read = await readModelFile(path);
      assert.ok(read.graph.initializers.some((t) => t.data.location === 'external'));
      const x = { type: 'float32' as const, dims: [1, 4], data: new Float32Array([1, 2, 3, 4]) };
      const viaCopy = await openModelSession((await addGraphOutputs(read, ['relu_out'])).model);
      const viaPath = await openSession({ path });
      try {
        const a = await viaCopy.run({ x });
        const b = await viaPath.run({ x });
        assert.deepEqual(viaCopy.outputNames, ['y', 'relu_out']);
        assert.deepEqual([...toFloat32(a.get('y') ?? assert.fail())], [...toFloat32(b.get('y') ?? assert.fail())]);
      } finally {
        await viaCopy.release();
        await viaPath.release();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a run at once when its signal is aborted, and releases only after the run in flight', async () => {
    const session = await openSession({ bytes: await writeModelBytes(smallMlp().model) });
    const x = { type: 'float32' as const, dims: [1, 4], data: new Float32Array(4) };
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await assert.rejects(session.run({ x }, { signal: aborted.signal }), /stop/);
    const controller = new AbortController();
    const running = session.run({ x }, { signal: controller.signal });
    controller.abort(new Error('cancelled by test'));
    await assert.rejects(running, /cancelled by test/);
    await session.release();
    await assert.rejects(session.run({ x }), /released/);
  });

  it('says which model onnxruntime cannot load and why', async () => {
    await assert.rejects(openSession({ bytes: new TextEncoder().encode('not a model') }, { sourceName: 'broken.onnx' }), /onnxruntime cannot load broken\.onnx: /);
    const m = new ModelBuilder({ name: 'bad', seed: 1 });
    m.output(m.op('NoSuchOp', [m.input('x', DataType.FLOAT, [1])]), DataType.FLOAT, [1]);
    await assert.rejects(openModelSession(m.buildModel(), { sourceName: 'custom.onnx' }), /onnxruntime cannot load custom\.onnx: .*NoSuchOp/);
  });
});

describe('runtime: running samples one at a time', () => {
  it('runs each synthetic sample through the session and reports progress', async () => {
    const { model, w, b } = smallMlp();
    const source = await openSampleSource('synthetic', model.graph, { samples: 3, inputSizes: { x: [2, 4] } });
    const session = await openModelSession((await addGraphOutputs(model, ['relu_out'])).model);
    const seen: string[] = [];
    try {
      const count = await runSamples(session, source, (outputs, sample) => {
        const x = sample.feeds['x']?.data as Float32Array;
        close(toFloat32(outputs.get('relu_out') ?? assert.fail()), reference(x, w, b).relu);
      }, { fetch: ['relu_out'], progress: (done, total, sample) => seen.push(`${done}/${total} ${sample.id}`) });
      assert.equal(count, 3);
      assert.deepEqual(seen, ['1/3 synthetic-0', '2/3 synthetic-1', '3/3 synthetic-2']);
    } finally {
      await session.release();
    }
  });
});
