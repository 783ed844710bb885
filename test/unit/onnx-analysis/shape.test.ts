import { strict as assert } from 'node:assert';
import { DataType } from '../../../src/core/onnx/model';
import { modelCost } from '../../../src/core/onnx/cost';
import { inferShapes, InputShapeError } from '../../../src/core/onnx/shape';
import { a, f32, graph, i64, model, node } from './build';

const F = DataType.FLOAT;

async function shapes(m: Parameters<typeof inferShapes>[0], opts: Parameters<typeof inferShapes>[1] = {}) {
  const r = await inferShapes(m, opts);
  return { get: (name: string) => r.tensors.get(name)?.shape, dtype: (name: string) => r.tensors.get(name)?.dtype, r };
}

describe('shape inference on hand-built models', () => {
  it('computes Conv and pool windows with pads, strides, dilations, auto_pad and ceil_mode', async () => {
    const m = model(graph({
      inputs: [['x', F, [1, 3, 32, 32]]],
      initializers: [f32('w', [16, 3, 3, 3]), f32('wt', [16, 8, 4, 4])],
      nodes: [
        node('Conv', ['x', 'w'], ['c1'], { pads: a.ints([1, 1, 1, 1]), strides: a.ints([2, 2]) }),
        node('Conv', ['x', 'w'], ['c2'], { dilations: a.ints([2, 2]) }),
        node('Conv', ['x', 'w'], ['c3'], { auto_pad: a.str('SAME_UPPER'), strides: a.ints([3, 3]) }),
        node('MaxPool', ['c1'], ['p1'], { kernel_shape: a.ints([3, 3]), strides: a.ints([2, 2]), ceil_mode: a.int(1) }),
        node('MaxPool', ['c1'], ['p2'], { kernel_shape: a.ints([3, 3]), strides: a.ints([2, 2]) }),
        node('ConvTranspose', ['c1', 'wt'], ['t1'], { strides: a.ints([2, 2]), pads: a.ints([1, 1, 1, 1]), group: a.int(2) }),
        node('GlobalAveragePool', ['c1'], ['g']),
      ],
    }));
    const s = await shapes(m);
    assert.deepEqual(s.get('c1'), [1, 16, 16, 16]);
    assert.deepEqual(s.get('c2'), [1, 16, 28, 28]);
    assert.deepEqual(s.get('c3'), [1, 16, 11, 11]);
    assert.deepEqual(s.get('p1'), [1, 16, 8, 8]);
    assert.deepEqual(s.get('p2'), [1, 16, 7, 7]);
    assert.deepEqual(s.get('t1'), [1, 16, 32, 32]);
    assert.deepEqual(s.get('g'), [1, 16, 1, 1]);
  });

  it('folds a Shape/Gather/Unsqueeze/Concat chain into Reshape, keeping the symbolic batch', async () => {
    const m = model(graph({
      inputs: [['x', F, ['N', 3, 4, 4]]],
      initializers: [i64('zero', [0], []), i64('axes0', [0]), i64('minus1', [-1])],
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'zero'], ['n'], { axis: a.int(0) }),
        node('Unsqueeze', ['n', 'axes0'], ['n1']),
        node('Concat', ['n1', 'minus1'], ['target'], { axis: a.int(0) }),
        node('Reshape', ['x', 'target'], ['y']),
        node('Flatten', ['x'], ['f'], { axis: a.int(2) }),
      ],
    }), 13);
    const s = await shapes(m);
    assert.deepEqual(s.get('s'), [4]);
    assert.deepEqual(s.r.values.get('target')?.data, ['N', -1]);
    assert.deepEqual(s.get('y'), ['N', 48]);
    assert.deepEqual(s.get('f'), [undefined, 16]);
  });

  it('takes concrete input shapes from the caller and rejects ones that do not fit', async () => {
    const m = model(graph({
      inputs: [['image', F, ['N', 3, 'H', 'W']]],
      initializers: [f32('w', [8, 3, 3, 3])],
      nodes: [node('Conv', ['image', 'w'], ['y'], { pads: a.ints([1, 1, 1, 1]) })],
    }));
    assert.deepEqual((await shapes(m)).get('y'), ['N', 8, undefined, undefined]);
    assert.deepEqual((await shapes(m, { inputShapes: { image: [2, 3, 64, 48] } })).get('y'), [2, 8, 64, 48]);
    await assert.rejects(inferShapes(m, { inputShapes: { img: [1, 3, 8, 8] } }), (e: unknown) => e instanceof InputShapeError && /no input named 'img'.*image/.test(e.message));
    await assert.rejects(inferShapes(m, { inputShapes: { image: [1, 3, 8] } }), /rank 4/);
    await assert.rejects(inferShapes(m, { inputShapes: { image: [1, 4, 8, 8] } }), /fixed at 3/);
  });

  it('reads Squeeze/Unsqueeze axes from the attribute before opset 13 and from the input after', async () => {
    const build = (opset: number) => model(graph({
      inputs: [['x', F, [1, 5, 1, 7]]],
      initializers: opset >= 13 ? [i64('ax', [2])] : [],
      nodes: opset >= 13
        ? [node('Squeeze', ['x', 'ax'], ['y']), node('Unsqueeze', ['y', 'ax'], ['z'])]
        : [node('Squeeze', ['x'], ['y'], { axes: a.ints([2]) }), node('Unsqueeze', ['y'], ['z'], { axes: a.ints([-1]) })],
    }), opset);
    const s11 = await shapes(build(11));
    assert.deepEqual(s11.get('y'), [1, 5, 7]);
    assert.deepEqual(s11.get('z'), [1, 5, 7, 1]);
    const s13 = await shapes(build(13));
    assert.deepEqual(s13.get('y'), [1, 5, 7]);
    assert.deepEqual(s13.get('z'), [1, 5, 1, 7]);
  });

  it('gives data-dependent sizes fresh symbols and reports what it cannot fold', async () => {
    const m = model(graph({
      inputs: [['x', F, [4, 6]], ['shape', DataType.INT64, [3]]],
      nodes: [
        node('NonZero', ['x'], ['nz']),
        node('Transpose', ['nz'], ['nzt']),
        node('Reshape', ['x', 'shape'], ['r'], {}, { name: 'reshape_dynamic' }),
        node('FancyOp', ['x'], ['fancy'], {}, { domain: 'com.example' }),
      ],
    }));
    const s = await shapes(m);
    const [rank, count] = s.get('nz') ?? [];
    assert.equal(rank, 2);
    assert.equal(typeof count, 'string');
    assert.deepEqual(s.get('nzt'), [count, 2]);
    assert.deepEqual(s.get('r'), [undefined, undefined, undefined]);
    assert.equal(s.get('fancy'), undefined);
    assert.ok(s.r.problems.some((p) => p.node === 'reshape_dynamic' && /shape input not constant/.test(p.message)));
    assert.ok(s.r.problems.some((p) => p.opType === 'FancyOp' && /no shape rule for com.example.FancyOp/.test(p.message)));
  });

  it('broadcasts batched MatMul and contracts Einsum', async () => {
    const m = model(graph({
      inputs: [['q', F, ['B', 8, 'S', 64]], ['k', F, ['B', 8, 64, 'S']], ['v', F, [64]], ['e1', F, [2, 3, 4]], ['e2', F, [2, 4, 5]]],
      nodes: [
        node('MatMul', ['q', 'k'], ['att']),
        node('MatMul', ['q', 'v'], ['qv']),
        node('Einsum', ['e1', 'e2'], ['ein'], { equation: a.str('bij,bjk->bik') }),
        node('Einsum', ['e1'], ['tr'], { equation: a.str('...ij->...ji') }),
      ],
    }));
    const s = await shapes(m);
    assert.deepEqual(s.get('att'), ['B', 8, 'S', 'S']);
    assert.deepEqual(s.get('qv'), ['B', 8, 'S']);
    assert.deepEqual(s.get('ein'), [2, 3, 5]);
    assert.deepEqual(s.get('tr'), [2, 4, 3]);
  });

  it('splits by input (opset 13) and num_outputs (opset 18), slices with negative steps', async () => {
    const s13 = await shapes(model(graph({
      inputs: [['x', F, [10, 6]]],
      initializers: [i64('sizes', [3, 7]), i64('st', [-1]), i64('en', [-1000]), i64('ax', [0]), i64('step', [-2])],
      nodes: [node('Split', ['x', 'sizes'], ['p', 'q']), node('Slice', ['x', 'st', 'en', 'ax', 'step'], ['r'])],
    }), 13));
    assert.deepEqual([s13.get('p'), s13.get('q'), s13.get('r')], [[3, 6], [7, 6], [5, 6]]);
    const s18 = await shapes(model(graph({ inputs: [['x', F, [10, 6]]], nodes: [node('Split', ['x'], ['p', 'q', 'r'], { num_outputs: a.int(3), axis: a.int(0) })] }), 18));
    assert.deepEqual([s18.get('p'), s18.get('q'), s18.get('r')], [[4, 6], [4, 6], [2, 6]]);
  });

  it('recurses into Loop and If bodies with outer-scope names', async () => {
    const body = graph({
      name: 'body',
      inputs: [['i', DataType.INT64, []], ['cond_in', DataType.BOOL, []], ['acc', F, [2, 3]]],
      outputs: [['cond_out', DataType.BOOL], ['acc_out', F], ['scan_out', F]],
      nodes: [node('Identity', ['cond_in'], ['cond_out']), node('Add', ['acc', 'outer'], ['acc_out']), node('Relu', ['outer'], ['scan_out'])],
    });
    const thenG = graph({ name: 'then', outputs: [['t', F]], nodes: [node('Relu', ['outer'], ['t'])] });
    const elseG = graph({ name: 'else', outputs: [['e', F]], nodes: [node('Transpose', ['outer'], ['e'])] });
    const m = model(graph({
      inputs: [['outer', F, [2, 3]], ['c', DataType.BOOL, []], ['init', F, [2, 3]]],
      initializers: [i64('trips', [5], [])],
      nodes: [
        node('Loop', ['trips', '', 'init'], ['final', 'scanned'], { body: a.graph(body) }),
        node('If', ['c'], ['branch'], { then_branch: a.graph(thenG), else_branch: a.graph(elseG) }),
      ],
    }));
    const s = await shapes(m);
    assert.deepEqual(s.get('acc_out'), [2, 3]);
    assert.deepEqual(s.get('final'), [2, 3]);
    assert.deepEqual(s.get('scanned'), [5, 2, 3]);
    assert.deepEqual(s.get('branch'), [undefined, undefined], 'branches that disagree: same rank, unknown dims');
    assert.deepEqual(s.get('e'), [3, 2]);
  });

  it('honours value_info and output annotations unless asked to ignore them', async () => {
    const m = model(graph({
      inputs: [['x', F, ['N', 4]], ['shape', DataType.INT64, [2]]],
      outputs: [['y', F, ['N', 4]]],
      valueInfo: [['r', F, [undefined, 2]]],
      nodes: [node('Reshape', ['x', 'shape'], ['r']), node('Reshape', ['r', 'shape'], ['y'])],
    }));
    const s = await shapes(m);
    assert.deepEqual(s.get('r'), [undefined, 2]);
    assert.deepEqual(s.get('y'), ['N', 4]);
    const bare = await shapes(m, { ignoreAnnotations: true });
    assert.deepEqual(bare.get('r'), [undefined, undefined]);
    assert.deepEqual(bare.get('y'), [undefined, undefined]);
  });

  it('types quantized and com.microsoft operators', async () => {
    const m = model(graph({
      inputs: [['x', F, [1, 16, 64]]],
      initializers: [f32('s', []), tensor_u8('zp'), tensor_u8('packed', [32, 2, 16]), f32('scales', [32 * 2])],
      nodes: [
        node('QuantizeLinear', ['x', 's', 'zp'], ['q']),
        node('DequantizeLinear', ['q', 's', 'zp'], ['dq']),
        node('DynamicQuantizeLinear', ['x'], ['dy', 'dys', 'dyz']),
        node('MatMulNBits', ['x', 'packed', 'scales'], ['mm'], { K: a.int(64), N: a.int(32), bits: a.int(4), block_size: a.int(32) }, { domain: 'com.microsoft' }),
        node('SkipLayerNormalization', ['x', 'x'], ['ln'], {}, { domain: 'com.microsoft' }),
      ],
    }), 17, { 'com.microsoft': 1 });
    const s = await shapes(m);
    assert.equal(s.dtype('q'), DataType.UINT8);
    assert.equal(s.dtype('dq'), DataType.FLOAT);
    assert.deepEqual([s.get('dy'), s.get('dys')], [[1, 16, 64], []]);
    assert.deepEqual(s.get('mm'), [1, 16, 32]);
    assert.deepEqual(s.get('ln'), [1, 16, 64]);
  });
});

function tensor_u8(name: string, dims: readonly number[] = []) {
  return { ...f32(name, dims), dataType: DataType.UINT8 };
}

describe('shape inference through model-local functions', () => {
  it('inlines a function call, resolving attribute references, and costs it by its body', async () => {
    const fnBody = [
      node('MatMul', ['x', 'w'], ['h']),
      { ...node('Transpose', ['h'], ['t']), attributes: [{ name: 'perm', refAttrName: 'order', value: { type: 'undefined' as const } }] },
      node('Relu', ['t'], ['y']),
    ];
    const m = {
      ...model(graph({
        inputs: [['a', DataType.FLOAT, ['B', 16, 8]]],
        initializers: [f32('weight', [8, 4])],
        nodes: [node('LinearT', ['a', 'weight'], ['out'], { order: a.ints([0, 2, 1]) }, { domain: 'custom', name: 'call' })],
      }), 17, { custom: 1 }),
      functions: [{ name: 'LinearT', domain: 'custom', inputs: ['x', 'w'], outputs: ['y'], attributes: ['order'], attributeProtos: [], nodes: fnBody, opsetImports: [{ domain: '', version: 17n }], valueInfo: [] }],
    };
    const r = await inferShapes(m);
    assert.deepEqual(r.tensors.get('out')?.shape, ['B', 4, 16]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.tensors.get('call::h')?.shape, ['B', 16, 4], 'function-internal tensors are named under the call');
    const cost = modelCost(m, await inferShapes(m, { inputShapes: { a: [2, 16, 8] } }));
    assert.equal(cost.nodes[0]?.cost.macs, 2 * 16 * 8 * 4, 'a call costs what its body costs');
    assert.equal(cost.nodes[0]?.cost.flops, 2 * 2 * 16 * 8 * 4 + 2 * 16 * 4);
  });
});

describe('shape inference of newer and contrib operators', () => {
  it('handles AffineGrid (opset 20), QLinearConcat and SimplifiedLayerNormalization registered in the default domain', async () => {
    const m = model(graph({
      inputs: [['theta', DataType.FLOAT, [2, 2, 3]], ['qa', DataType.UINT8, [1, 4, 8]], ['qb', DataType.UINT8, [1, 'extra', 8]], ['h', DataType.FLOAT, ['B', 'S', 64]]],
      initializers: [i64('size', [2, 3, 16, 24]), f32('ys', []), { ...f32('yz', []), dataType: DataType.UINT8 }, f32('gamma', [64])],
      nodes: [
        node('AffineGrid', ['theta', 'size'], ['grid']),
        node('QLinearConcat', ['ys', 'yz', 'qa', 'ys', 'yz', 'qb', 'ys', 'yz'], ['qc'], { axis: a.int(1) }, { domain: 'com.microsoft' }),
        node('SimplifiedLayerNormalization', ['h', 'gamma'], ['n'], { axis: a.int(-1) }),
      ],
    }), 20, { 'com.microsoft': 1 });
    const r = await inferShapes(m);
    assert.deepEqual(r.tensors.get('grid')?.shape, [2, 16, 24, 2]);
    assert.deepEqual(r.tensors.get('qc')?.shape, [1, 'extra + 4', 8]);
    assert.equal(r.tensors.get('qc')?.dtype, DataType.UINT8);
    assert.deepEqual(r.tensors.get('n')?.shape, ['B', 'S', 64]);
  });
});

describe('shape inference of opset 18 Resize', () => {
  it('keeps the aspect ratio when asked', async () => {
    const build = (policy: string) => model(graph({
      inputs: [['x', DataType.FLOAT, [1, 3, 20, 40]]],
      initializers: [i64('sizes', [10, 10])],
      nodes: [node('Resize', ['x', '', '', 'sizes'], ['y'], { axes: a.ints([2, 3]), keep_aspect_ratio_policy: a.str(policy) })],
    }), 18);
    assert.deepEqual((await inferShapes(build('stretch'))).tensors.get('y')?.shape, [1, 3, 10, 10]);
    assert.deepEqual((await inferShapes(build('not_larger'))).tensors.get('y')?.shape, [1, 3, 5, 10]);
    assert.deepEqual((await inferShapes(build('not_smaller'))).tensors.get('y')?.shape, [1, 3, 10, 20]);
  });
});
