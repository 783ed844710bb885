import { strict as assert } from 'node:assert';
import { DataType } from '../../../src/core/onnx/model';
import { findFusions, findScope, graphMaps, GraphStructureError, peakActivationMemory, scopeSegments, scopeTree, tensorLifetimes, topologicalOrder, topologicalWalk } from '../../../src/core/onnx/graph';
import { inferShapes } from '../../../src/core/onnx/shape';
import { a, f32, graph, model, node } from './build';

const F = DataType.FLOAT;

describe('graph helpers', () => {
  it('orders nodes listed out of order and keeps file order when already sorted', () => {
    const g = graph({
      inputs: [['x', F, [1]]],
      nodes: [node('Relu', ['b'], ['c']), node('Neg', ['x'], ['a']), node('Abs', ['a'], ['b']), node('Exp', ['x'], ['d'])],
    });
    assert.deepEqual(topologicalOrder(g), [1, 2, 0, 3]);
    const sorted = graph({ inputs: [['x', F, [1]]], nodes: [node('Neg', ['x'], ['a']), node('Exp', ['x'], ['d']), node('Abs', ['a'], ['b'])] });
    assert.deepEqual(topologicalOrder(sorted), [0, 1, 2]);
  });

  it('names the cycle and the dangling input it finds', () => {
    const cyclic = graph({ inputs: [['x', F, [1]]], nodes: [node('Add', ['x', 'c'], ['a'], {}, { name: 'first' }), node('Relu', ['a'], ['c'], {}, { name: 'second' })] });
    assert.throws(() => topologicalOrder(cyclic), (e: unknown) => e instanceof GraphStructureError && /cycle through (first -> second|second -> first)/.test(e.message));
    const dangling = graph({ inputs: [['x', F, [1]]], nodes: [node('Add', ['x', 'ghost'], ['a'], {}, { name: 'adder' })] });
    assert.throws(() => topologicalOrder(dangling), /node 'adder' reads 'ghost', which no node, graph input or initializer provides/);
  });

  it('walks subgraph nodes after their parent, and orders the parent after producers of names its body reads', () => {
    const body = graph({ name: 'body', outputs: [['t', F]], nodes: [node('Relu', ['late'], ['t'], {}, { name: 'inner' })] });
    const g = graph({
      inputs: [['x', F, [1]], ['c', DataType.BOOL, []]],
      nodes: [node('If', ['c'], ['y'], { then_branch: a.graph(body), else_branch: a.graph(body) }, { name: 'branch' }), node('Neg', ['x'], ['late'], {}, { name: 'producer' })],
    });
    const walk = topologicalWalk(g).map((e) => `${e.graphPath}:${e.node.name}`);
    assert.deepEqual(walk, [':producer', ':branch', 'branch/then_branch:inner', 'branch/else_branch:inner']);
    assert.deepEqual(graphMaps(g).consumers.get('late'), [{ node: 0, input: -1 }]);
  });

  it('computes tensor lifetimes and peak activation memory', async () => {
    const m = model(graph({
      inputs: [['x', F, [1, 256]]],
      outputs: [['z', F]],
      initializers: [f32('w', [256, 256])],
      nodes: [node('MatMul', ['x', 'w'], ['h']), node('Relu', ['h'], ['r']), node('Add', ['r', 'x'], ['z'])],
    }));
    const shapes = await inferShapes(m);
    const order = topologicalOrder(m.graph);
    const lifetimes = new Map(tensorLifetimes(m.graph, order, shapes).map((l) => [l.name, l]));
    assert.deepEqual(lifetimes.get('x'), { name: 'x', kind: 'input', firstProducer: -1, lastConsumer: 2, bytes: 1024 });
    assert.deepEqual(lifetimes.get('h'), { name: 'h', kind: 'activation', firstProducer: 0, lastConsumer: 1, bytes: 1024 });
    assert.equal(lifetimes.get('z')?.lastConsumer, 3);
    assert.equal(lifetimes.get('w')?.kind, 'initializer');
    const peak = peakActivationMemory([...lifetimes.values()], order.length);
    assert.equal(peak.bytes, 3 * 1024);
    assert.equal(peak.unknownTensors, 0);
  });

  it('groups node names into scopes with counts', () => {
    assert.deepEqual(scopeSegments('/encoder/layer.3/attn/MatMul'), ['encoder', 'layer.3', 'attn']);
    assert.deepEqual(scopeSegments('encoder.layer.3.attn.matmul'), ['encoder', 'layer.3', 'attn']);
    assert.deepEqual(scopeSegments('backbone::stage1::Conv_3'), ['backbone', 'stage1']);
    assert.deepEqual(scopeSegments('Conv_0'), []);
    assert.deepEqual(scopeSegments(''), []);
    const names = ['/encoder/layer.0/attn/MatMul', '/encoder/layer.0/attn/Softmax', '/encoder/layer.1/attn/MatMul', '/encoder/layer.1/ffn/Gelu', 'Conv_0', '/head/Gemm'];
    const tree = scopeTree(names.map((n, i) => node(n.split('/').pop() ?? 'X', [], [`t${i}`], {}, { name: n })));
    assert.equal(tree.totalNodes, 6);
    assert.deepEqual(tree.nodes, [4]);
    assert.deepEqual(tree.children.map((c) => [c.name, c.totalNodes]), [['encoder', 4], ['head', 1]]);
    const layer1 = findScope(tree, 'encoder/layer.1');
    assert.equal(layer1?.totalNodes, 2);
    assert.deepEqual({ ...layer1?.opCounts }, { MatMul: 1, Gelu: 1 });
    assert.deepEqual(findScope(tree, 'encoder/layer.0/attn')?.nodes, [0, 1]);
  });

  it('finds Conv+BN+Relu, MatMul+Add, attention and a decomposed LayerNorm, and respects shared tensors', () => {
    const g = graph({
      inputs: [['x', F, [1, 3, 8, 8]], ['q', F, [1, 4, 16]], ['k', F, [1, 16, 4]], ['v', F, [1, 4, 16]], ['s', F, [1, 16]]],
      outputs: [['y', F], ['att', F], ['ln', F], ['c2r', F], ['mm', F]],
      initializers: [f32('w', [4, 3, 3, 3]), f32('sc', [4]), f32('bi', [4]), f32('mu', [4]), f32('va', [4]), f32('fcw', [16, 16]), f32('fcb', [16]), f32('scale', []), f32('two', []), f32('eps', []), f32('gamma', [16]), f32('beta', [16])],
      nodes: [
        node('Conv', ['x', 'w'], ['c'], {}, { name: 'conv' }),
        node('BatchNormalization', ['c', 'sc', 'bi', 'mu', 'va'], ['b'], {}, { name: 'bn' }),
        node('Relu', ['b'], ['y'], {}, { name: 'relu' }),
        node('MatMul', ['q', 'k'], ['qk'], {}, { name: 'qk' }),
        node('Div', ['qk', 'scale'], ['qks'], {}, { name: 'scale' }),
        node('Softmax', ['qks'], ['p'], { axis: a.int(-1) }, { name: 'softmax' }),
        node('MatMul', ['p', 'v'], ['att'], {}, { name: 'pv' }),
        node('ReduceMean', ['s'], ['m1'], { axes: a.ints([-1]) }, { name: 'mean' }),
        node('Sub', ['s', 'm1'], ['d'], {}, { name: 'sub' }),
        node('Pow', ['d', 'two'], ['d2'], {}, { name: 'pow' }),
        node('ReduceMean', ['d2'], ['var'], { axes: a.ints([-1]) }, { name: 'var' }),
        node('Add', ['var', 'eps'], ['ve'], {}, { name: 'addeps' }),
        node('Sqrt', ['ve'], ['std'], {}, { name: 'sqrt' }),
        node('Div', ['d', 'std'], ['n'], {}, { name: 'div' }),
        node('Mul', ['n', 'gamma'], ['ng'], {}, { name: 'gamma' }),
        node('Add', ['ng', 'beta'], ['ln'], {}, { name: 'beta' }),
        // A Conv whose output is also a graph output cannot fuse with its Relu.
        node('Conv', ['x', 'w'], ['c2'], {}, { name: 'conv2' }),
        node('Relu', ['c2'], ['c2r'], {}, { name: 'relu2' }),
        node('MatMul', ['s', 'fcw'], ['fc'], {}, { name: 'fc' }),
        node('Add', ['fc', 'fcb'], ['mm'], {}, { name: 'fcbias' }),
      ],
    });
    const gWithC2 = { ...g, outputs: [...g.outputs, { name: 'c2', type: { kind: 'tensor' as const, elemType: F } }] };
    const found = findFusions(gWithC2).map((f) => [f.kind, f.nodes.map((i) => g.nodes[i]?.name)]);
    assert.deepEqual(found, [
      ['conv-bn-relu', ['conv', 'bn', 'relu']],
      ['attention', ['qk', 'scale', 'softmax', 'pv']],
      ['layernorm', ['mean', 'sub', 'pow', 'var', 'addeps', 'sqrt', 'div', 'gamma', 'beta']],
      ['matmul-add', ['fc', 'fcbias']],
    ]);
  });
});

