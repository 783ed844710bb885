import { strict as assert } from 'node:assert';
import { diffModels } from '../../../src/core/onnx/diff';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { a, f32, graph, model, node } from './build';

const F = DataType.FLOAT;

function base(opts: { kernel?: number; fcValues?: number[]; fcRows?: number; extraRelu?: boolean; dropGelu?: boolean; renameRelu?: boolean; unnamedNames?: [string, string]; opset?: number; inputShape?: number[] } = {}): Model {
  const k = opts.kernel ?? 3;
  const rows = opts.fcRows ?? 8;
  const [u1, u2] = opts.unnamedNames ?? ['s', 't'];
  return model(graph({
    inputs: [['x', F, opts.inputShape ?? [1, 3, 16, 16]]],
    outputs: [['y', F]],
    initializers: [f32('conv.w', [8, 3, k, k]), f32('fc.w', [rows, 4], opts.fcValues)],
    nodes: [
      node('Conv', ['x', 'conv.w'], ['c'], { kernel_shape: a.ints([k, k]) }, { name: '/backbone/conv' }),
      node('Relu', ['c'], ['r'], {}, { name: opts.renameRelu ? '/backbone/act' : '/backbone/relu' }),
      ...(opts.extraRelu ? [node('Sigmoid', ['r'], ['r2'], {}, { name: '/backbone/gate' })] : []),
      node('GlobalAveragePool', [opts.extraRelu ? 'r2' : 'r'], ['p'], {}, { name: '/head/pool' }),
      node('Flatten', ['p'], ['f'], {}, { name: '/head/flatten' }),
      node('MatMul', ['f', 'fc.w'], [u1]),
      ...(opts.dropGelu ? [] : [node('Gelu', [u1], [u2], {}, { domain: 'com.microsoft' })]),
      node('Identity', [opts.dropGelu ? u1 : u2], ['y'], {}, { name: '/head/out' }),
    ],
  }), opts.opset ?? 17);
}

describe('structural diff', () => {
  it('reports nothing for identical models', async () => {
    const d = await diffModels(base(), base());
    assert.equal(d.identical, true);
    assert.deepEqual([d.added, d.removed, d.changed], [[], [], []]);
  });

  it('finds changed attributes, weight shapes and weight content', async () => {
    const d = await diffModels(base(), base({ kernel: 5, fcValues: new Array<number>(32).fill(1) }));
    assert.equal(d.identical, false);
    assert.deepEqual(d.added, []);
    assert.deepEqual(d.removed, []);
    const conv = d.changed.find((c) => c.node === '/backbone/conv');
    assert.deepEqual(conv?.what, ['attribute kernel_shape: [3,3] -> [5,5]', 'weight conv.w (input 1): shape [8,3,3,3] -> [8,3,5,5]']);
    const fc = d.changed.find((c) => c.op === 'MatMul');
    assert.equal(fc?.what.length, 1);
    assert.match(fc?.what[0] ?? '', /^weight fc.w \(input 1\): content changed \(max \|Δ\| 4\.00, relative L2 \S+; sha256 [0-9a-f]{12} -> [0-9a-f]{12}\)$/);
    assert.equal(d.changed.length, 2);
    // The figures, computed here from the values both models were built with.
    const before = Array.from({ length: 32 }, (_, i) => (i % 7) - 3);
    const errorSq = before.reduce((sum, v) => sum + (1 - v) ** 2, 0);
    const baseSq = before.reduce((sum, v) => sum + v * v, 0);
    assert.equal(fc?.weights?.length, 1);
    const w = fc!.weights![0]!;
    assert.deepEqual({ tensor: w.tensor, input: w.input, maxAbsDiff: w.maxAbsDiff, nonFinite: w.nonFinite }, { tensor: 'fc.w', input: 1, maxAbsDiff: 4, nonFinite: 0 });
    assert.ok(Math.abs(w.relativeL2! - Math.sqrt(errorSq / baseSq)) < 1e-12, `relative L2 ${w.relativeL2}`);
    assert.equal(conv?.weights, undefined, 'a reshaped weight has no element-wise figures');
  });

  it('measures changed weights: doubled values are 100 % off in L2; an all-zero base has no relative figure; NaNs are counted apart', async () => {
    const values = Array.from({ length: 32 }, (_, i) => (i - 16) / 8);
    const doubled = await diffModels(base({ fcValues: values }), base({ fcValues: values.map((v) => 2 * v) }));
    const w = doubled.changed[0]!.weights![0]!;
    assert.equal(w.relativeL2, 1);
    assert.equal(w.maxAbsDiff, 2);
    const zero = await diffModels(base({ fcValues: new Array<number>(32).fill(0) }), base({ fcValues: values }));
    assert.equal(zero.changed[0]!.weights![0]!.relativeL2, null);
    assert.match(zero.changed[0]!.what[0]!, /relative L2 n\/a \(base is all zero\)/);
    const nan = await diffModels(base({ fcValues: values }), base({ fcValues: values.map((v, i) => (i === 0 ? Number.NaN : i === 1 ? v + 0.5 : v)) }));
    assert.deepEqual({ ...nan.changed[0]!.weights![0]!, relativeL2: undefined }, { tensor: 'fc.w', input: 1, maxAbsDiff: 0.5, nonFinite: 1, relativeL2: undefined });
  });

  it('measures a changed Constant value (a tensor attribute) too', async () => {
    const withConstant = (values: number[]) =>
      model(graph({
        inputs: [['x', F, [4]]],
        outputs: [['y', F]],
        initializers: [],
        nodes: [node('Constant', [], ['k'], { value: a.tensor(f32('k', [4], values)) }, { name: 'k' }), node('Add', ['x', 'k'], ['y'], {}, { name: 'add' })],
      }), 17);
    const d = await diffModels(withConstant([1, 2, 3, 4]), withConstant([1, 2, 3, 4.25]));
    const constant = d.changed.find((c) => c.node === 'k')!;
    assert.deepEqual(constant.weights?.map((w) => [w.tensor, w.input, w.maxAbsDiff]), [['attribute value', -1, 0.25]]);
    const add = d.changed.find((c) => c.node === 'add')!;
    assert.deepEqual(add.weights?.map((w) => [w.tensor, w.input, w.maxAbsDiff]), [['k', 1, 0.25]]);
  });

  it('matches renamed and unnamed nodes by structure, and reports added and removed ones', async () => {
    const d = await diffModels(base(), base({ renameRelu: true, unnamedNames: ['s2', 't2'], extraRelu: true }));
    assert.deepEqual(d.added, [{ node: '/backbone/gate', op: 'Sigmoid' }]);
    assert.deepEqual(d.removed, []);
    assert.ok(d.matching.byStructure >= 3, `renamed relu and the unnamed MatMul/Gelu match by structure (${d.matching.byStructure})`);
    const pool = d.changed.find((c) => c.node === '/head/pool');
    assert.deepEqual(pool?.what, ['input 0: r -> r2']);
    assert.equal(d.changed.length, 1, JSON.stringify(d.changed));
    const removedGelu = await diffModels(base(), base({ dropGelu: true }));
    assert.deepEqual(removedGelu.removed, [{ node: 'Gelu#5', op: 'Gelu' }]);
  });

  it('pairs every matched node, by name or by structure', async () => {
    const d = await diffModels(base(), base({ renameRelu: true }));
    assert.ok(d.pairs.some(([x, y]) => x === '/backbone/relu' && y === '/backbone/act'), JSON.stringify(d.pairs));
    assert.equal(d.pairs.length, 7);
  });

  it('reports opset and graph input changes', async () => {
    const d = await diffModels(base(), base({ opset: 18, inputShape: [1, 3, 32, 32] }));
    assert.deepEqual(d.opsets, [{ domain: 'ai.onnx', a: 17, b: 18 }]);
    assert.deepEqual(d.inputs.changed, [{ name: 'x', what: 'float32[1,3,16,16] -> float32[1,3,32,32]' }]);
    assert.equal(d.identical, false);
  });
});
