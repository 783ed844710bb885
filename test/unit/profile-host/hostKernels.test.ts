import { strict as assert } from 'node:assert';
import { ModelBuilder, attr } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { modelCost } from '../../../src/core/onnx/cost';
import { inferShapes } from '../../../src/core/onnx/shape';
import { describeKernel, type KernelShape } from '../../../src/core/profile/calibrate/kernelKinds';
import { hostKernelModel } from '../../../src/core/profile/calibrate/hostKernelModel';
import { nchwcReorderBytes } from '../../../src/core/profile/calibrate/nchwc';
import { interpolateRate, type RatePoint } from '../../../src/core/profile/calibrate/rateTable';
import { calibrationFromMeasurements, type MeasuredBenchmark } from '../../../src/core/profile/calibrate/calibrateHost';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { analyseModel } from '../../../src/core/profile/profileRun';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { hostCalibrationSchema } from '../../../src/core/soc/hostCalibration';

const F = DataType.FLOAT;

/** One model holding the ops the host model sorts into kinds, with their kernel shapes by node name. */
async function kernelsOf(build: (b: ModelBuilder) => void): Promise<Map<string, KernelShape | undefined>> {
  const b = new ModelBuilder({ name: 'kinds', seed: 3 });
  build(b);
  const model = b.buildModel();
  const shapes = await inferShapes(model);
  const cost = modelCost(model, shapes);
  const weights = new Set(model.graph.initializers.map((t) => t.name));
  return new Map(cost.nodes.map((e) => [e.node.name, describeKernel(e.node, shapes, weights, e.cost.flops)]));
}

describe('host-cpu kernel kinds, measured rates and their interpolation', () => {
  it('sorts nodes into kernel kinds with the shape figures their speed depends on', async () => {
    const k = await kernelsOf((b) => {
      const x = b.input('x', F, [1, 16, 32, 32]);
      b.output(b.op('Conv', [x, b.weight('w3', [64, 16, 3, 3], 0.1)], { pads: attr.ints([1, 1, 1, 1]) }, 'conv3'), F);
      b.output(b.op('Conv', [x, b.weight('w1', [32, 16, 1, 1], 0.1)], {}, 'conv1'), F);
      b.output(b.op('Conv', [x, b.weight('w1s', [32, 16, 1, 1], 0.1)], { strides: attr.ints([2, 2]) }, 'conv1s2'), F);
      b.output(b.op('Conv', [x, b.weight('wd', [16, 1, 3, 3], 0.1)], { group: attr.int(16), pads: attr.ints([1, 1, 1, 1]) }, 'dw'), F);
      b.output(b.op('Relu', [x], {}, 'relu'), F);
      b.output(b.op('BatchNormalization', [x, b.weight('s', [16], 1), b.weight('bb', [16], 1), b.weight('m', [16], 1), b.weight('v', [16], 0.1, 1)], {}, 'bn'), F);
      const t = b.input('t', F, [1, 10, 48]);
      b.output(b.op('MatMul', [t, b.weight('mw', [48, 24], 0.1)], {}, 'matmul'), F);
      b.output(b.op('Gemm', [b.input('g', F, [5, 40]), b.weight('gw', [24, 40], 0.1)], { transB: attr.int(1) }, 'gemm'), F);
      const [y] = b.node('LSTM', [b.input('seq', F, [7, 1, 12]), b.weight('lw', [1, 32, 12], 0.1), b.weight('lr', [1, 32, 8], 0.1)], { name: 'lstm', attributes: { hidden_size: attr.int(8) }, outputs: 1 });
      b.output(y!, F);
      const h = b.input('h', DataType.FLOAT16, [1, 100]);
      b.output(b.op('Add', [h, h], {}, 'add16'), DataType.FLOAT16);
      b.output(b.op('Cast', [h], { to: attr.int(F) }, 'cast16'), F);
    });
    const get = (name: string) => k.get(name);
    assert.deepEqual(get('conv3') && { kind: get('conv3')!.kind, dims: get('conv3')!.dims }, { kind: 'conv', dims: [144, 64, 1024] });
    assert.deepEqual(get('conv1')?.kind, 'conv1x1');
    assert.deepEqual(get('conv1')?.dims, [16, 32, 1024]);
    assert.equal(get('conv1s2')?.kind, 'conv', 'a strided 1x1 conv is not the pointwise kernel');
    assert.deepEqual(get('conv1s2')?.dims, [16, 32, 256]);
    assert.deepEqual([get('dw')?.kind, get('dw')?.dims], ['depthwise', [9, 16, 1024]]);
    assert.deepEqual([get('matmul')?.kind, get('matmul')?.dims, get('matmul')?.unit], ['matmul', [48, 24, 10], 'flops']);
    assert.deepEqual([get('gemm')?.kind, get('gemm')?.dims], ['matmul', [40, 24, 5]]);
    assert.deepEqual([get('lstm')?.kind, get('lstm')?.dims], ['rnn', [20, 32, 7]]);
    assert.deepEqual([get('relu')?.kind, get('relu')?.unit, get('relu')?.work], ['unary', 'bytes', 2 * 16 * 32 * 32 * 4]);
    assert.deepEqual([get('bn')?.kind, get('bn')?.work], ['binary', 2 * 16 * 32 * 32 * 4], 'an unfolded BatchNormalization is a per-channel multiply-add; its weights are not activations');
    assert.equal(get('add16')?.work, 3 * 100 * 4, 'float16 data is moved as float32 (onnxruntime casts it)');
    assert.equal(get('cast16')?.work, 100 * 2 + 100 * 4, 'a Cast moves its types as stored');
  });

  it('interpolates a kind\'s measured rates in log space, never beyond the measured range', () => {
    const points: RatePoint[] = [
      { kind: 'conv', dims: [16, 16, 1024], rate: 10e9 },
      { kind: 'conv', dims: [256, 256, 1024], rate: 90e9 },
      { kind: 'binary', dims: [1e5, 1, 1], rate: 20e9 },
    ];
    assert.equal(interpolateRate(points, 'conv', [16, 16, 1024]), 10e9, 'a measured shape gets its own rate');
    const mid = interpolateRate(points, 'conv', [64, 64, 1024])!;
    assert.ok(Math.abs(mid - 30e9) < 1e6, `halfway in log2 units between 10 and 90 GFLOP/s is their geometric mean: ${mid}`);
    const near16 = interpolateRate(points, 'conv', [24, 24, 1024])!;
    assert.ok(near16 > 10e9 && near16 < mid, 'closer points weigh more');
    for (const dims of [[1, 1, 1], [1 << 16, 1 << 16, 1 << 24]] as const) {
      const r = interpolateRate(points, 'conv', dims)!;
      assert.ok(r >= 10e9 && r <= 90e9, `outside the grid: ${r}`);
    }
    assert.ok(Math.abs(interpolateRate(points, 'binary', [5e6, 1, 1])! / 20e9 - 1) < 1e-9, 'other kinds do not mix in');
    assert.equal(interpolateRate(points, 'matmul', [64, 64, 64]), undefined, 'no point of the kind: no rate');
  });

  const bench = (kind: MeasuredBenchmark['kind'], unit: 'flops' | 'bytes', dims: [number, number, number], work: number, ms: number): MeasuredBenchmark => ({ name: kind, op: 'x', kind, dims, unit, work, ms });
  const context = { ortVersion: '1.30.0', cpuModel: 'Test CPU', logicalCores: 2, cacheBytes: 2 ** 21, nchwcBlock: 16, measuredAt: '2026-12-07T00:00:00.000Z', runs: 9 };

  it('turns measured benchmarks into calibration figures: peak, efficiencies, bandwidths, fixed costs', () => {
    const c = calibrationFromMeasurements(
      [
        bench('conv', 'flops', [144, 64, 1024], 1e8, 1), // 100 GFLOP/s
        bench('conv1x1', 'flops', [64, 64, 1024], 6e7, 1), // 60
        bench('matmul', 'flops', [256, 256, 64], 8e7, 1), // 80
        bench('depthwise', 'flops', [9, 64, 1024], 2e7, 1), // 20
        bench('binary', 'bytes', [2e5, 1, 1], 2e5, 0.01), // 20 GB/s in cache
        bench('binary', 'bytes', [6e6, 1, 1], 6e6, 0.5), // 12 GB/s beyond
      ],
      { runS: 12e-6, nodeS: 0.4e-6 },
      context,
    );
    assert.equal(hostCalibrationSchema.safeParse(c).success, true);
    assert.equal(c.version, 3);
    assert.equal(c.peakFp32OpsPerS, 1e11);
    assert.deepEqual(c.efficiency, { conv: 0.8, matmul: 0.8, depthwise: 0.2 }, 'median rate of the class over the peak');
    assert.ok(Math.abs(c.dramBytesPerS - 12e9) < 1 && Math.abs(c.cacheBytesPerS - 20e9) < 1);
    assert.deepEqual([c.runS, c.overheadS, c.runs], [12e-6, 0.4e-6, 9]);
    assert.equal(c.kernels.length, 6);
    assert.throws(() => calibrationFromMeasurements([bench('binary', 'bytes', [2e5, 1, 1], 2e5, 0.01)], { runS: 0, nodeS: 0 }, context), /no Conv or MatMul kernel/);
  });

  it('estimates host-cpu kernels from the measured rates, plus the per-node and per-run costs', async () => {
    const b = new ModelBuilder({ name: 'two-convs', seed: 5 });
    const x = b.input('x', F, [1, 16, 32, 32]);
    const y = b.op('Conv', [x, b.weight('w', [16, 16, 3, 3], 0.1)], { pads: attr.ints([1, 1, 1, 1]) }, 'conv');
    b.output(b.op('Sigmoid', [b.op('Add', [y, x], {}, 'add')], {}, 'sig'), F);
    const analysed = await analyseModel(b.buildModel(), {});
    const calibration = calibrationFromMeasurements(
      [bench('conv', 'flops', [144, 16, 1024], 1e8, 2), bench('binary', 'bytes', [1e5, 1, 1], 1e5, 0.01), bench('transcendental', 'bytes', [1e5, 1, 1], 1e5, 0.02)],
      { runS: 20e-6, nodeS: 1e-6 },
      { ...context, nchwcBlock: 0 }, // no layout reorders here (a CPU without onnxruntime's NCHWc pass); they have their own test
    );
    const target = builtinCatalog({ cpuModel: 'Test CPU', logicalCores: 2, cpuMHz: 3000, totalMemoryBytes: 2 ** 33, calibration }).get('host-cpu')!;
    const est = estimateTarget(analysed, target, { precision: 'fp32', hostKernels: hostKernelModel(calibration) }).profile;
    const convFlops = 2 * 144 * 16 * 1024;
    const tensorBytes = 16 * 32 * 32 * 4;
    // conv at 50 GFLOP/s; Add (3 tensors) at 10 GB/s, Sigmoid (2 tensors) at 5 GB/s; 1 µs per node, 20 µs per run. The host fuses Conv+Add.
    const layerMs = (name: string) => est.layers.find((l) => l.node === name)?.ms;
    assert.ok(Math.abs(layerMs('conv')! - (convFlops / 50e9 + 1e-6) * 1e3) < 1e-9, `conv ${layerMs('conv')}`);
    assert.equal(layerMs('add'), undefined, 'the Add rides on the Conv kernel');
    assert.ok(Math.abs(layerMs('sig')! - ((2 * tensorBytes) / 5e9 + 1e-6) * 1e3) < 1e-9, `sigmoid ${layerMs('sig')}`);
    assert.ok(Math.abs(est.latencyMs - (layerMs('conv')! + layerMs('sig')! + 0.02)) < 1e-9);
    const generic = estimateTarget(analysed, target, { precision: 'fp32' }).profile;
    assert.notEqual(generic.latencyMs, est.latencyMs, 'without the measured rates the roofline applies');
  });
});

describe('onnxruntime\'s NCHWc reorders on the host', () => {
  it('charges a reorder where a channel-blocked tensor meets a consumer that is not blocked, once per tensor', async () => {
    const b = new ModelBuilder({ name: 'nchwc', seed: 9 });
    const x = b.input('x', F, [1, 3, 16, 16]);
    const conv = (name: string, input: string, cin: number, cout: number) => b.op('Conv', [input, b.weight(`${name}_w`, [cout, cin, 3, 3], 0.1)], { pads: attr.ints([1, 1, 1, 1]) }, name);
    const c1 = conv('c1', x, 3, 16); // plain 3-channel input: read directly, no reorder
    const pooled = b.op('MaxPool', [b.op('Relu', [c1], {}, 'relu')], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }, 'pool'); // stays blocked
    const c2 = conv('c2', pooled, 16, 32); // blocked in, blocked out
    const odd = conv('c3', c2, 32, 24); // 24 channels: not blocked; its input is reordered back
    const t1 = b.op('Transpose', [c2], { perm: attr.ints([0, 2, 3, 1]) }, 't1'); // c2 was already reordered for c3
    const plain = b.input('p', F, [1, 16, 8, 8]);
    const c4 = conv('c4', plain, 16, 16); // plain input with blocked channels: ReorderInput
    b.output(odd, F);
    b.output(t1, F);
    b.output(c4, F); // a blocked graph output: ReorderOutput
    const model = b.buildModel();
    const shapes = await inferShapes(model);
    const cost = modelCost(model, shapes);
    const weights = new Set(model.graph.initializers.map((t) => t.name));
    const bytes = nchwcReorderBytes(cost.nodes, shapes, weights, new Set(model.graph.outputs.map((o) => o.name)), 16);
    const at = Object.fromEntries(cost.nodes.map((e, i) => [e.node.name, bytes[i]]));
    const tensor = (c: number, side: number) => 2 * c * side * side * 4;
    assert.deepEqual(at, { c1: 0, relu: 0, pool: 0, c2: 0, c3: tensor(32, 8), t1: 0, c4: tensor(16, 8) + tensor(16, 8) });
  });
});
