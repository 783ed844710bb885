import { strict as assert } from 'node:assert';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { fuseNodes, readerCounts } from '../../../src/core/profile/fusion';
import { peakActivationBytes } from '../../../src/core/profile/lifetimes';
import { denseDims, opClassOf } from '../../../src/core/profile/opClass';
import * as attr from '../../../src/core/onnx/builder/attributes';
import { analysed, convModel, testSoc } from './fixtures';

describe('profile estimator', () => {
  it('runs supported ops on the NPU and falls back to the CPU for the others, charging the transfer', async () => {
    const a = await analysed(convModel(['Softmax']));
    const e = estimateTarget(a, testSoc({ npuOps: ['Conv', 'Relu'] }), { precision: 'int8' });
    const byNode = new Map(e.profile.layers.map((l) => [l.node, l]));
    assert.equal(byNode.get('/conv')?.engine, 'npu');
    assert.equal(byNode.get('/t0')?.engine, 'cpu');
    assert.equal(byNode.get('/t0')?.fallback, true);
    // 32x32x32 int8 activations over the 1 GB/s link plus its 10 us latency.
    const transfer = byNode.get('/t0')?.transferMs ?? 0;
    assert.ok(Math.abs(transfer - (32 * 32 * 32 / 1e9 + 10e-6) * 1e3) < 1e-9, `transfer ${transfer}`);
    assert.ok(e.profile.warnings.some((w) => w.code === 'fallback'));
    assert.deepEqual(e.profile.engines.map((x) => x.engine).sort(), ['cpu', 'npu']);
    const total = e.profile.layers.reduce((s, l) => s + l.ms, 0);
    assert.ok(Math.abs(total - e.profile.latencyMs) < 1e-9);
  });

  it("adds the target's fixed time per inference once, outside the layers", async () => {
    const a = await analysed(convModel(['Softmax']));
    const plain = estimateTarget(a, testSoc(), { precision: 'int8' }).profile;
    const invoked = estimateTarget(a, testSoc({ invocation: '40us' }), { precision: 'int8' }).profile;
    assert.ok(Math.abs(invoked.latencyMs - plain.latencyMs - 0.04) < 1e-9, `${invoked.latencyMs} vs ${plain.latencyMs}`);
    assert.deepEqual(invoked.layers, plain.layers);
  });

  it('fuses by each target\'s own rules when one analysed model is estimated on several targets', async () => {
    const a = await analysed(convModel());
    const layers = (soc: ReturnType<typeof testSoc>) => estimateTarget(a, soc, { precision: 'int8' }).profile.layers.map((l) => [l.node, l.fusedWith ?? []]);
    const fused = [['/conv', ['/relu']]];
    assert.deepEqual(layers(testSoc()), fused);
    assert.deepEqual(layers(testSoc({ fusions: [] })), [['/conv', []], ['/relu', []]]);
    assert.deepEqual(layers(testSoc({ npuOps: ['Conv'] })), [['/conv', []], ['/relu', []]], 'Relu on the CPU: nothing to fuse across engines');
    assert.deepEqual(layers(testSoc()), fused);
  });

  it('warns and uses another precision or engine when the requested ones do not exist', async () => {
    const a = await analysed(convModel());
    const fp16 = estimateTarget(a, testSoc(), { precision: 'fp16' });
    assert.ok(fp16.profile.warnings.some((w) => w.code === 'precision-not-supported'), JSON.stringify(fp16.profile.warnings));
    const gpu = estimateTarget(a, testSoc(), { precision: 'int8', engine: 'gpu' });
    assert.ok(gpu.profile.warnings.some((w) => w.code === 'no-engine-of-kind'));
    assert.equal(gpu.profile.layers[0]?.engine, 'npu');
  });

  it('fuses Conv+Relu by the engine rule, and not when the Conv output has another reader', async () => {
    const fused = estimateTarget(await analysed(convModel()), testSoc(), { precision: 'int8' });
    assert.equal(fused.profile.layers.length, 1);
    assert.deepEqual(fused.profile.layers[0]?.fusedWith, ['/relu']);
    const unfused = estimateTarget(await analysed(convModel()), testSoc({ fusions: [] }), { precision: 'int8' });
    assert.equal(unfused.profile.layers.length, 2);
    assert.ok(unfused.profile.latencyMs > fused.profile.latencyMs, 'a fused kernel saves the intermediate traffic and an overhead');
    const shared = estimateTarget(await analysed(convModel([], { extraReader: true })), testSoc(), { precision: 'int8' });
    assert.equal(shared.profile.layers.find((l) => l.node === '/conv')?.fusedWith, undefined);
  });

  it('groups only along single-reader chains that extend a rule', () => {
    const node = (opType: string, inputs: string[], outputs: string[]) => ({ node: { opType, inputs, outputs, name: '', domain: '', attributes: [] } as never, graphPath: '', engine: 'npu', fusions: [['Conv', 'BatchNormalization', 'Relu']] });
    const nodes = [node('Conv', ['x'], ['a']), node('BatchNormalization', ['a'], ['b']), node('Relu', ['b'], ['c']), node('Relu', ['c'], ['d'])];
    assert.deepEqual(fuseNodes(nodes, readerCounts(nodes), new Set()), [[0, 1, 2], [3]]);
    assert.deepEqual(fuseNodes(nodes, readerCounts(nodes), new Set(['b'])), [[0, 1], [2], [3]]);
  });

  it('sizes a grouped convolution\'s product per group, a depthwise one across its channels', async () => {
    const b = new ModelBuilder({ name: 'groups', seed: 1 });
    let x = b.input('x', DataType.FLOAT, [1, 64, 16, 16]);
    for (const [name, group, cin] of [['dense', 1, 64], ['grouped', 8, 8], ['depthwise', 64, 1]] as const) {
      const w = b.initializer(`${name}_w`, [64, cin, 3, 3], new Float32Array(64 * cin * 9));
      x = b.op('Conv', [x, w], { group: attr.int(group), pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) }, `/${name}`);
    }
    b.output(x, DataType.FLOAT);
    const a = await analysed(b.buildModel());
    const dims = a.cost.nodes.map((e) => [e.node.name, denseDims(e.node, a.shapes), opClassOf(e.node, a.shapes)]);
    assert.deepEqual(dims, [
      ['/dense', { k: 576, n: 64 }, 'conv'],
      // Eight independent products, each eight output channels wide.
      ['/grouped', { k: 72, n: 8 }, 'conv'],
      ['/depthwise', { k: 9, n: 64 }, 'depthwise'],
    ]);
  });

  it('computes compute-bound time from peak x efficiency and memory-bound time from bandwidth', async () => {
    const a = await analysed(convModel());
    const slow = estimateTarget(a, testSoc({ npuInt8: '1TOPS', fusions: [] }), { precision: 'int8' });
    const fast = estimateTarget(a, testSoc({ npuInt8: '2TOPS', fusions: [] }), { precision: 'int8' });
    const conv = (e: typeof slow) => e.profile.layers.find((l) => l.node === '/conv')!;
    assert.equal(conv(slow).bound, 'compute');
    // Twice the peak: the compute part halves (1 us overhead stays).
    assert.ok(Math.abs((conv(slow).ms - 1e-3) / (conv(fast).ms - 1e-3) - 2) < 1e-6);
    const relu = (e: typeof slow) => e.profile.layers.find((l) => l.node === '/relu')!;
    assert.equal(relu(slow).bound, 'memory');
    assert.equal(relu(slow).ms, relu(fast).ms);
    // Relu reads and writes 32K int8 elements from DRAM at 10 GB/s.
    assert.ok(Math.abs(relu(slow).ms - ((2 * 32 * 32 * 32) / 10e9 + 1e-6) * 1e3) < 1e-9, `${relu(slow).ms}`);
  });

  it('keeps activations on chip when the working set fits the SRAM', async () => {
    const a = await analysed(convModel());
    const small = estimateTarget(a, testSoc({ fusions: [] }), { precision: 'int8' });
    const large = estimateTarget(a, testSoc({ fusions: [], sram: '1MiB' }), { precision: 'int8' });
    assert.ok((large.profile.layers.find((l) => l.node === '/relu')?.bytes ?? -1) === 0);
    assert.ok(large.profile.latencyMs < small.profile.latencyMs);
  });

  it('estimates ops of unknown cost at a floor, flags them and warns; never 0', async () => {
    const b = new ModelBuilder({ name: 'custom', seed: 1 });
    b.opsetImport('com.example', 1);
    const x = b.input('x', DataType.FLOAT, [1, 1000]);
    b.output(b.node('Mystery', [x], { domain: 'com.example', name: '/mystery' })[0]!, DataType.FLOAT);
    const e = estimateTarget(await analysed(b.buildModel()), testSoc(), { precision: 'int8' });
    const layer = e.profile.layers[0]!;
    assert.equal(layer.unknownCost, true);
    assert.ok(layer.ms > 0);
    assert.ok(e.profile.warnings.some((w) => w.code === 'unknown-cost' && w.node === '/mystery'));
  });

  it('peak memory follows tensor lifetimes', () => {
    const n = (inputs: string[], outputs: string[]) => ({ opType: 'X', inputs, outputs, name: '', domain: '', attributes: [] }) as never;
    const size: Record<string, number> = { x: 10, a: 100, b: 20, c: 5, w: 1000 };
    // x -> a -> b -> c; x is also read by the last node.
    const order = [n(['x', 'w'], ['a']), n(['a'], ['b']), n(['b', 'x'], ['c'])];
    const peak = peakActivationBytes(order, (t) => size[t] ?? 0, ['x'], new Set(['c']), new Set(['w']));
    // While b is written: x 10 + a 100 + b 20.
    assert.deepEqual(peak, { peakBytes: 130, atNode: 1 });
  });

  it('reports energy, power and the thermal limit consistently', async () => {
    const e = estimateTarget(await analysed(convModel()), testSoc(), { precision: 'int8' });
    const p = e.profile;
    assert.ok(Math.abs(p.powerW - p.energyMj / p.latencyMs) < 1e-9);
    // (10 W sustained - 1 W static) / dynamic energy per frame, unless latency bounds it first.
    const thermal = 9 / e.dynamicEnergyJ;
    assert.ok(Math.abs(p.sustainedFps - Math.min(thermal, 1e3 / p.latencyMs)) < 1e-6);
  });
});
