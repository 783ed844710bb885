import { strict as assert } from 'node:assert';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { collectWeightStats } from '../../../src/core/graphview/exportModel';
import { findWeightNodes } from '../../../src/core/graphview/fold';
import { buildGroups } from '../../../src/core/graphview/scopes';
import { inspectModel } from '../../../src/core/onnx/summary';
import type { Model } from '../../../src/core/onnx/model';
import { graphPayloadSchema, type GraphPayload } from '../../../src/protocol/graphPayload';
import { fromColumns, type GraphRows, type NodeRow } from '../../../src/protocol/graphRows';
import { paddleStyleModel, qdqModel, tf2onnxStyleModel, torchStyleModel } from './exporterModels';

async function view(model: Model): Promise<{ payload: GraphPayload; rows: GraphRows }> {
  const payload = await buildModelPayload(model, { title: 'm.onnx' });
  const parsed = graphPayloadSchema.safeParse(payload);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
  return { payload, rows: fromColumns(payload.graphs[0]!) };
}

const visible = (rows: GraphRows) => rows.nodes.filter((n) => n.kind === 'op' && !n.folded);
const weightInputs = (rows: GraphRows, n: NodeRow) => n.inputs.filter((t) => t >= 0 && rows.tensors[t]!.weight).map((t) => rows.tensors[t]!);

describe('graph view weight folding and grouping', () => {
  it('folds paddle2onnx Constant weights into their consumers and keeps the nodes for the toggle', async () => {
    const model = paddleStyleModel(4);
    const { rows } = await view(model);
    const constants = rows.nodes.filter((n) => n.op === 'Constant');
    assert.equal(constants.length, model.graph.nodes.filter((n) => n.opType === 'Constant').length, 'every node stays in the payload');
    assert.ok(constants.every((n) => n.folded), 'every Constant is folded');
    assert.deepEqual([...new Set(visible(rows).map((n) => n.op))].sort(), ['Add', 'BatchNormalization', 'Clip', 'Conv', 'Div', 'Mul']);
    const conv = rows.nodes.find((n) => n.op === 'Conv' && rows.tensors[n.outputs[0]!]!.name === 'conv2d_1.tmp_0')!;
    const [w] = weightInputs(rows, conv);
    assert.equal(w?.name, 'conv2d_1.w_0');
    assert.deepEqual(w?.shape, [8, 8, 3, 3]);
    assert.equal(w?.elements, 8 * 8 * 9);
    assert.equal(conv.params, 8 * 8 * 9, 'a Conv fed by a Constant counts its weight');
    // Small constants carry their value for display; big ones do not.
    const clip = rows.nodes.find((n) => n.op === 'Clip')!;
    assert.deepEqual(weightInputs(rows, clip).map((t) => t.value), ['[0]', '[6]']);
    assert.equal(w?.value, undefined);
  });

  it('dissolves one-op scopes (paddle `conv2d_396`, torch `/conv/Conv`) and keeps scopes that hold structure', async () => {
    const paddle = (await view(paddleStyleModel(4))).rows;
    const paddleNames = paddle.groups.map((g) => g.name);
    assert.ok(!paddleNames.some((g) => /^(conv2d|batch_norm)_\d+$/.test(g)), `no one-op boxes: ${paddleNames.join(', ')}`);
    assert.ok(paddleNames.includes('hardswish_2'), 'a four-op hard-swish scope is structure and stays a box');
    const torch = (await view(torchStyleModel(3))).rows;
    const names = torch.groups.map((g) => g.name);
    assert.ok(names.includes('layer1') && names.includes('layer3'), names.join(', '));
    assert.ok(!names.some((n) => /conv1|conv2|relu/.test(n)), `no box for a scope with one op: ${names.join(', ')}`);
    const conv = torch.nodes.find((n) => n.name === '/backbone/layer2/conv1/Conv')!;
    assert.equal(torch.groups[conv.group]!.name, 'layer2');
    // torch shape constants fold into the Reshape and show their value.
    const reshape = torch.nodes.find((n) => n.op === 'Reshape')!;
    assert.deepEqual(weightInputs(torch, reshape).map((t) => t.value), ['[1, -1]']);
    assert.ok(torch.nodes.find((n) => n.op === 'Constant')!.folded);
  });

  it('folds tf2onnx Identity/Transpose weight chains, not the input Transpose, and opens the StatefulPartitionedCall wrapper', async () => {
    const { rows } = await view(tf2onnxStyleModel(3));
    const identity = rows.nodes.filter((n) => n.op === 'Identity');
    assert.equal(identity.length, 3);
    assert.ok(identity.every((n) => n.folded));
    const transposes = rows.nodes.filter((n) => n.op === 'Transpose');
    assert.deepEqual(transposes.map((n) => n.folded), [false, true, true, true], 'the data Transpose stays, the kernel ones fold');
    const conv = rows.nodes.find((n) => n.op === 'Conv')!;
    const kernel = weightInputs(rows, conv).find((t) => t.shape?.length === 4)!;
    assert.deepEqual(kernel.shape, [8, 3, 3, 3], 'the folded kernel has its transposed shape');
    assert.equal(conv.params, 8 * 3 * 9 + 8);
    assert.ok(!rows.groups.some((g) => g.name.startsWith('StatefulPartitionedCall')), rows.groups.map((g) => g.name).join(', '));
  });

  it('folds DequantizeLinear of constant weights in a QDQ model, not the activations’ Quantize/DequantizeLinear', async () => {
    const model = qdqModel(3);
    const { rows, payload } = await view(model);
    const dq = rows.nodes.filter((n) => n.op === 'DequantizeLinear');
    assert.deepEqual(dq.map((n) => n.folded), [true, false, true, false, true, false]);
    assert.ok(rows.nodes.filter((n) => n.op === 'QuantizeLinear').every((n) => !n.folded));
    const conv = rows.nodes.find((n) => n.op === 'Conv')!;
    assert.equal(conv.params, 8 * 3 * 9);
    // The folded weight's statistics read the int8 tensor behind the DequantizeLinear.
    const stats = await collectWeightStats(model, payload);
    const folded = weightInputs(rows, conv)[0]!;
    assert.equal(stats[`0:${folded.name}`]?.tensor, '/conv0/weight_quantized');
    assert.equal(stats[`0:${folded.name}`]?.dtype, 'int8');
  });

  it('gives Constant-held weights statistics', async () => {
    const model = paddleStyleModel(2);
    const { payload } = await view(model);
    const stats = await collectWeightStats(model, payload);
    const w = stats['0:conv2d_1.w_0'];
    assert.equal(w?.count, 8 * 8 * 9);
    assert.ok(w && w.std !== null && w.std > 0.05 && w.std < 0.15, `std ${w?.std}`);
  });

  it('shows the same totals as aios inspect, FLOPs for labelled default sizes of dynamic dims', async () => {
    for (const model of [paddleStyleModel(3), torchStyleModel(2), tf2onnxStyleModel(2), qdqModel(2)]) {
      const { payload } = await view(model);
      const { summary } = await inspectModel(model);
      const totals = payload.model.totals!;
      assert.equal(totals.params, summary.params);
      assert.ok(summary.params > 0);
      assert.equal(totals.flops, summary.flops);
      assert.equal(totals.unknownCostNodes, summary.unknownCostNodes);
      assert.ok(totals.flops !== null && totals.flops > 0, 'FLOPs are known for the default sizes');
    }
    const { payload } = await view(paddleStyleModel(2));
    assert.deepEqual(payload.model.totals!.inputSizes, [
      { name: 'x', declared: ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'], dims: [1, 3, 224, 224], sources: ['default', 'model', 'default', 'default'] },
    ]);
    const given = await buildModelPayload(paddleStyleModel(2), { title: 'm', inputSizes: { x: [1, 3, 64, 64] } });
    assert.deepEqual(given.model.totals!.inputSizes[0]!.sources, ['given', 'model', 'given', 'given']);
    assert.ok(given.model.totals!.flops! < payload.model.totals!.flops!, 'smaller given sizes, fewer FLOPs');
  });

  it('does not fold random ops, nodes with subgraphs or nodes that produce a graph output', () => {
    const graph = {
      name: 'g', initializers: [], sparseInitializers: [], valueInfo: [],
      inputs: [], outputs: [{ name: 'out' }],
      nodes: [
        { name: 'c', opType: 'Constant', domain: '', inputs: [], outputs: ['c'], attributes: [] },
        { name: 'r', opType: 'RandomNormalLike', domain: '', inputs: ['c'], outputs: ['r'], attributes: [] },
        { name: 'n', opType: 'Neg', domain: '', inputs: ['c'], outputs: ['out'], attributes: [] },
      ],
    };
    const { folded, weights } = findWeightNodes(graph);
    assert.deepEqual([...folded], [0]);
    assert.ok(weights.has('c') && !weights.has('r') && !weights.has('out'));
  });

  it('labels chunk groups by the ops they hold, counting weight nodes neither as children nor as structure', () => {
    const n = 300;
    const scopes = Array.from({ length: n }, () => [] as string[]);
    const ops = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'Constant' : i % 3 === 1 ? 'Conv' : 'Relu'));
    const real = ops.map((op) => op !== 'Constant');
    const { groups } = buildGroups(scopes, { maxChildren: 120, chunkSize: 80 }, { ops, real });
    const chunks = groups.filter((g) => g.synthetic);
    assert.equal(chunks.length, 3, '200 real nodes in chunks of 80');
    assert.equal(chunks[0]!.name, '#1–80 Conv×40, Relu×40');
    assert.equal(chunks[2]!.name, '#161–200 Conv×20, Relu×20');
  });
});
