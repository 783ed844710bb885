import { strict as assert } from 'node:assert';
import { modelCost } from '../../../src/core/onnx/cost';
import { DataType } from '../../../src/core/onnx/model';
import { inferShapes } from '../../../src/core/onnx/shape';
import { a, f32, graph, model, node, tensor } from './build';

const F = DataType.FLOAT;

describe('cost model', () => {
  it('counts MACs, FLOPs, params and bytes per node with the documented conventions', async () => {
    const m = model(graph({
      inputs: [['x', F, [1, 3, 32, 32]], ['tokens', F, [2, 10, 64]]],
      initializers: [f32('w', [16, 3, 3, 3]), f32('b', [16]), tensor('w4', DataType.INT4, [64, 32]), f32('fc', [64, 32])],
      nodes: [
        node('Conv', ['x', 'w', 'b'], ['c'], { pads: a.ints([1, 1, 1, 1]) }, { name: 'conv' }),
        node('Relu', ['c'], ['r'], {}, { name: 'relu' }),
        node('MaxPool', ['r'], ['p'], { kernel_shape: a.ints([2, 2]), strides: a.ints([2, 2]) }, { name: 'pool' }),
        node('Reshape', ['p', 'p'], ['flat'], {}, { name: 'reshape' }),
        node('MatMul', ['tokens', 'fc'], ['mm'], {}, { name: 'matmul' }),
        node('Softmax', ['mm'], ['sm'], {}, { name: 'softmax' }),
        node('Mystery', ['sm'], ['q'], {}, { name: 'mystery', domain: 'com.example' }),
      ],
    }));
    const shapes = await inferShapes(m);
    const cost = modelCost(m, shapes);
    const byName = new Map(cost.nodes.map((e) => [e.node.name, e.cost]));
    const conv = byName.get('conv');
    assert.equal(conv?.macs, 16 * 32 * 32 * 3 * 3 * 3);
    assert.equal(conv?.flops, 2 * 16 * 32 * 32 * 27);
    assert.equal(conv?.params, 16 * 27 + 16);
    assert.equal(conv?.weightBytes, (16 * 27 + 16) * 4);
    assert.equal(conv?.activationBytesIn, 3 * 32 * 32 * 4);
    assert.equal(conv?.activationBytesOut, 16 * 32 * 32 * 4);
    assert.ok(Math.abs((conv?.intensity ?? 0) - (2 * 16 * 1024 * 27) / ((16 * 27 + 16) * 4 + 3 * 1024 * 4 + 16 * 1024 * 4)) < 1e-9);
    assert.deepEqual([byName.get('relu')?.macs, byName.get('relu')?.flops], [0, 16 * 32 * 32]);
    assert.equal(byName.get('pool')?.flops, 16 * 16 * 16 * 4);
    assert.equal(byName.get('reshape')?.flops, 0);
    assert.equal(byName.get('matmul')?.macs, 2 * 10 * 32 * 64);
    assert.equal(byName.get('softmax')?.flops, 3 * 2 * 10 * 32);
    assert.equal(byName.get('mystery')?.flops, undefined, 'no rule: unknown, not guessed');
    assert.equal(cost.totals.unknownCostNodes, 1);
    const knownFlops = cost.nodes.reduce((s, e) => s + (e.cost.flops ?? 0), 0);
    assert.equal(cost.totals.flops, knownFlops);
    assert.equal(cost.totals.initializerParams, 16 * 27 + 16 + 64 * 32 + 64 * 32);
    assert.deepEqual(cost.totals.weightBytesByDtype, { float32: (16 * 27 + 16 + 64 * 32) * 4, int4: (64 * 32) / 2 });
  });

  it('leaves cost unknown where shapes are unknown and counts Constant-node weights separately', async () => {
    const m = model(graph({
      inputs: [['x', F, ['N', 8]], ['y', F]],
      nodes: [
        node('Constant', [], ['w'], { value: a.tensor(f32('w', [8, 4])) }),
        node('MatMul', ['x', 'w'], ['h'], {}, { name: 'known-batch-unknown' }),
        node('Relu', ['y'], ['ry'], {}, { name: 'rank-unknown' }),
      ],
    }));
    const cost = modelCost(m, await inferShapes(m));
    const byName = new Map(cost.nodes.map((e) => [e.node.name, e.cost]));
    assert.equal(byName.get('known-batch-unknown')?.macs, undefined);
    assert.equal(byName.get('known-batch-unknown')?.params, 32);
    assert.equal(byName.get('rank-unknown')?.flops, undefined);
    assert.equal(cost.totals.unknownCostNodes, 2);
    assert.deepEqual([cost.totals.initializerParams, cost.totals.constantParams, cost.totals.params], [0, 32, 32]);
    const batch = modelCost(m, await inferShapes(m, { inputShapes: { x: [4, 8] } }));
    assert.equal(batch.nodes.find((e) => e.node.name === 'known-batch-unknown')?.cost.macs, 4 * 8 * 4);
  });
});
