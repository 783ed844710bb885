import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType, type Dim, type Graph } from '../../../src/core/onnx/model';
import { encodeNpy, type NpyArray } from '../../../src/core/runtime/npy';
import { openSampleSource, type Sample, type SampleSource } from '../../../src/core/runtime/samples';
import { toFloat32 } from '../../../src/core/runtime/tensors';

function graphWith(inputs: ReadonlyArray<[string, DataType, readonly Dim[]]>): Graph {
  const m = new ModelBuilder({ name: 'g', seed: 1 });
  const names = inputs.map(([name, type, shape]) => m.input(name, type, shape));
  m.output(m.op('Identity', [names[0] ?? '']), inputs[0]?.[1] ?? DataType.FLOAT);
  return m.buildModel().graph;
}

async function collect(source: SampleSource): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of source.samples()) out.push(s);
  return out;
}

const f32 = (shape: number[], fill = (i: number) => i): NpyArray => ({ dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)) });

describe('runtime: sample sources', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samples-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, array: NpyArray) => {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, encodeNpy(array));
  };

  it('reads one .npy per sample for a single-input model, in natural order, adding a missing batch dim of 1', async () => {
    const graph = graphWith([['image', DataType.FLOAT, [1, 3, 'H', 'W']]]);
    put('s10.npy', f32([1, 3, 2, 2], () => 10));
    put('s2.npy', f32([3, 2, 2], () => 2));
    put('s1.npy', f32([1, 3, 4, 2], () => 1));
    writeFileSync(join(dir, 'README.txt'), 'not a sample');
    const source = await openSampleSource(dir, graph);
    assert.equal(source.synthetic, false);
    assert.deepEqual(source.ids, ['s1.npy', 's2.npy', 's10.npy']);
    assert.equal(source.description, `3 samples from ${dir}`);
    const samples = await collect(source);
    assert.deepEqual(samples.map((s) => s.feeds['image']?.dims), [[1, 3, 4, 2], [1, 3, 2, 2], [1, 3, 2, 2]]);
    assert.deepEqual(samples.map((s) => toFloat32(s.feeds['image'] ?? assert.fail())[0]), [1, 2, 10]);
    assert.equal((await openSampleSource(dir, graph, { samples: 2 })).count, 2);
  });

  it('reads one folder per sample with <input name>.npy files, checking names, dtypes and shared dims', async () => {
    const graph = graphWith([['ids', DataType.INT64, [1, 'seq']], ['mask', DataType.INT64, [1, 'seq']]]);
    const i64 = (n: number): NpyArray => ({ dtype: 'int64', shape: [1, n], data: new BigInt64Array(n).fill(1n) });
    put('a/ids.npy', i64(5));
    put('a/mask.npy', i64(5));
    const source = await openSampleSource(dir, graph);
    const [a] = await collect(source);
    assert.deepEqual(a?.feeds['mask']?.dims, [1, 5]);

    put('b/ids.npy', i64(5));
    put('b/mask.npy', i64(6));
    await assert.rejects(collect(await openSampleSource(dir, graph)), new RegExp(`b/mask\\.npy \\(model input mask\\): dim 1 \\(seq\\) is 6, but .*b/ids\\.npy \\(model input ids\\) gives seq = 5`));
    put('b/mask.npy', i64(5));
    put('b/masks.npy', i64(5));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /b\/masks\.npy: the model has no input masks \(did you mean mask\?\); its inputs are ids, mask/);
    rmSync(join(dir, 'b', 'masks.npy'));
    rmSync(join(dir, 'b', 'ids.npy'));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /b\/ids\.npy is missing: sample b must give every model input \(ids, mask\)/);
    put('b/ids.npy', { dtype: 'int32', shape: [1, 5], data: new Int32Array(5) });
    await assert.rejects(collect(await openSampleSource(dir, graph)), /b\/ids\.npy \(model input ids\): the array is int32 but the input is int64; save it with \.astype\(numpy\.int64\)/);
  });

  it('refuses NaN, Inf, wrong fixed dims, wrong rank, and a folder that does not fit the model, naming file and input', async () => {
    const graph = graphWith([['x', DataType.FLOAT, [1, 4]]]);
    put('0.npy', f32([1, 4], (i) => (i === 2 ? NaN : i)));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /0\.npy \(model input x\): element 2 is NaN; samples must hold finite numbers/);
    put('0.npy', f32([1, 4], (i) => (i === 3 ? -Infinity : i)));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /0\.npy \(model input x\): element 3 is -Infinity/);
    put('0.npy', { dtype: 'float16', shape: [1, 4], data: new Uint16Array([0, 0x7e00, 0, 0]) });
    await assert.rejects(collect(await openSampleSource(dir, graph)), /0\.npy \(model input x\): the array is float16 but the input is float32/);
    put('0.npy', f32([1, 5]));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /0\.npy \(model input x\): shape \[1, 5\] does not fit the input \[1, 4\] \(dim 1 must be 4\)/);
    put('0.npy', f32([2, 1, 4]));
    await assert.rejects(collect(await openSampleSource(dir, graph)), /has rank 3, the input \[1, 4\] has rank 2/);
    rmSync(join(dir, '0.npy'));
    await assert.rejects(openSampleSource(dir, graph), /holds no samples: put one \.npy per sample there/);
    await assert.rejects(openSampleSource(join(dir, 'missing'), graph), /missing does not exist/);
    const two = graphWith([['a', DataType.FLOAT, [1]], ['b', DataType.FLOAT, [1]]]);
    put('0.npy', f32([1]));
    await assert.rejects(openSampleSource(dir, two), /holds \.npy files directly, which fits a model with one input, but the model has 2 \(a, b\)/);
    put('s/x.npy', f32([1, 4]));
    await assert.rejects(openSampleSource(dir, graph), /holds both \.npy files and folders/);
  });

  it('a float16 NaN is caught too', async () => {
    const graph = graphWith([['h', DataType.FLOAT16, [2]]]);
    put('0.npy', { dtype: 'float16', shape: [2], data: new Uint16Array([0x3c00, 0x7e00]) });
    await assert.rejects(collect(await openSampleSource(dir, graph)), /element 1 is NaN/);
  });

  it('synthetic samples are flagged, deterministic per sample, sized from defaults or given sizes, with the documented spread', async () => {
    const graph = graphWith([['image', DataType.FLOAT, ['N', 3, 'H', 'W']], ['tokens', DataType.INT64, [1, 'T']], ['half', DataType.FLOAT16, [8]]]);
    const four = await openSampleSource('synthetic', graph, { samples: 4, inputSizes: { image: [1, 3, 32, 16] } });
    assert.equal(four.synthetic, true);
    assert.equal(four.description, '4 synthetic samples (seed 1)');
    const a = await collect(four);
    const b = await collect(await openSampleSource('synthetic', graph, { samples: 2, inputSizes: { image: [1, 3, 32, 16] } }));
    assert.deepEqual(a[0]?.feeds['image']?.dims, [1, 3, 32, 16]);
    assert.deepEqual(a[0]?.feeds['tokens']?.dims, [1, 128]);
    assert.deepEqual([...toFloat32(a[1]?.feeds['image'] ?? assert.fail())], [...toFloat32(b[1]?.feeds['image'] ?? assert.fail())]);
    assert.notDeepEqual([...toFloat32(a[0]?.feeds['image'] ?? assert.fail())], [...toFloat32(a[1]?.feeds['image'] ?? assert.fail())]);
    const values = a.flatMap((s) => [...toFloat32(s.feeds['image'] ?? assert.fail())]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    assert.ok(Math.abs(mean) < 0.05 && Math.abs(std - 1) < 0.05, `mean ${mean}, std ${std}`);
    assert.ok(values.every((v) => Math.abs(v) <= 2 * Math.sqrt(3) + 1e-6));
    const tokens = toFloat32(a[0]?.feeds['tokens'] ?? assert.fail());
    assert.ok(tokens.every((v) => Number.isInteger(v) && v >= 0 && v < 10) && new Set(tokens).size === 10);
    assert.ok(toFloat32(a[0]?.feeds['half'] ?? assert.fail()).every((v) => Number.isFinite(v) && Math.abs(v) <= 3.47));
    const seeded = await collect(await openSampleSource('synthetic', graph, { samples: 1, seed: 2, inputSizes: { image: [1, 3, 32, 16] } }));
    assert.notDeepEqual([...toFloat32(seeded[0]?.feeds['image'] ?? assert.fail())], [...toFloat32(a[0]?.feeds['image'] ?? assert.fail())]);
  });
});
