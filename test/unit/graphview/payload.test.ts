import { strict as assert } from 'node:assert';
import { cnnClassifier, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { buildGroups, defaultGroupingLimits } from '../../../src/core/graphview/scopes';
import { scopeSegments } from '../../../src/core/onnx/graph/scopes';
import { graphPayloadSchema } from '../../../src/protocol/graphPayload';
import { fromColumns, toColumns } from '../../../src/protocol/graphRows';
import { flatChainModel } from './syntheticModels';
import { ifModel, nestedCaptureModel } from './testModels';

describe('graph view payload', () => {
  it('holds every node, pseudo nodes for graph inputs/outputs, and validates against its schema', async () => {
    const model = cnnClassifier({ seed: 1 });
    const payload = await buildModelPayload(model, { title: 'cnn.onnx' });
    assert.ok(graphPayloadSchema.safeParse(payload).success);
    const rows = fromColumns(payload.graphs[0]!);
    const ops = rows.nodes.filter((n) => n.kind === 'op');
    assert.equal(ops.length, model.graph.nodes.length);
    assert.deepEqual(ops.map((n) => n.name), model.graph.nodes.map((n) => n.name));
    assert.deepEqual(rows.nodes.filter((n) => n.kind === 'input').map((n) => n.name), model.graph.inputs.filter((i) => !model.graph.initializers.some((t) => t.name === i.name)).map((i) => i.name));
    assert.deepEqual(rows.nodes.filter((n) => n.kind === 'output').map((n) => n.name), model.graph.outputs.map((o) => o.name));
  });

  it('labels intermediate tensors with inferred shapes and dtypes (the file declares none)', async () => {
    const model = cnnClassifier({ seed: 1 });
    assert.equal(model.graph.valueInfo.length, 0, 'the fixture declares no intermediate shapes');
    const rows = fromColumns((await buildModelPayload(model, { title: 'cnn' })).graphs[0]!);
    const firstConv = rows.nodes.find((n) => n.op === 'Conv')!;
    const out = rows.tensors[firstConv.outputs[0]!]!;
    assert.equal(out.dtype, 'float32');
    assert.deepEqual(out.shape, [1, 8, 32, 32]);
    const withShapes = rows.tensors.filter((t) => !t.initializer && t.shape !== null).length;
    assert.equal(withShapes, rows.tensors.filter((t) => !t.initializer).length, 'every activation has a shape');
  });

  it('carries FLOPs and params from the cost model, and FLOPs/params overlays', async () => {
    const payload = await buildModelPayload(cnnClassifier({ seed: 1 }), { title: 'cnn' });
    const rows = fromColumns(payload.graphs[0]!);
    const conv = rows.nodes.find((n) => n.op === 'Conv')!;
    const weight = rows.tensors[conv.inputs[1]!]!;
    assert.ok(weight.initializer);
    assert.ok(conv.params >= weight.elements, 'params count the weight elements');
    // Conv 3->8, 3x3 kernel over 32x32 output: 2 * (8*32*32) * (3*3*3) FLOPs.
    assert.equal(conv.flops, 2 * 8 * 32 * 32 * 27);
    const flops = payload.overlays.find((o) => o.id === 'flops' && o.graph === 0)!;
    const index = rows.nodes.indexOf(conv);
    assert.equal(flops.values[flops.nodes.indexOf(index)], conv.flops);
    assert.ok(payload.overlays.some((o) => o.id === 'params'));
  });

  it('groups nodes by name scope, parents before children, with sizes', async () => {
    const rows = fromColumns((await buildModelPayload(transformerEncoder({ seed: 1 }), { title: 't' })).graphs[0]!);
    assert.equal(rows.groups[0]!.parent, -1);
    rows.groups.forEach((g, i) => {
      if (i > 0) assert.ok(g.parent >= 0 && g.parent < i);
    });
    const sizes = new Array<number>(rows.groups.length).fill(0);
    rows.nodes.forEach((n) => {
      for (let g = n.group; g >= 0; g = rows.groups[g]!.parent) sizes[g]!++;
    });
    assert.deepEqual(rows.groups.map((g) => g.size), sizes);
    assert.ok(rows.groups.length > 2, 'scopes became groups');
    for (const n of rows.nodes.filter((x) => x.kind === 'op')) {
      const path = rows.groups[n.group]!.path;
      // A scope wrapping the whole graph is no group: group paths may leave its prefix out.
      const scope = `/${scopeSegments(n.name).join('/')}/`;
      assert.ok(path === '' || scope.includes(`${path}/`), `${n.name} sits under ${path}`);
    }
  });

  it('splits a scope-less chain of 1,000 nodes into chunks no wider than the layout limit', async () => {
    const rows = fromColumns((await buildModelPayload(flatChainModel(1000), { title: 'flat' })).graphs[0]!);
    const children = new Array<number>(rows.groups.length).fill(0);
    rows.nodes.forEach((n) => children[n.group]!++);
    rows.groups.forEach((g) => g.parent >= 0 && children[g.parent]!++);
    assert.ok(Math.max(...children) <= defaultGroupingLimits.maxChildren, `widest group has ${Math.max(...children)} children`);
    assert.ok(rows.groups.some((g) => g.synthetic));
  });

  it('dissolves single-node scopes and merges single-child chains', () => {
    const { groups, nodeGroup } = buildGroups([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'x'], ['y', 'z'], ['y', 'z']]);
    // a/b/c holds two nodes; a/x holds one node, which then sits directly in a; b → c merges into "b/c"; y → z into "y/z".
    assert.deepEqual(groups.map((g) => g.name), ['', 'a', 'b/c', 'y/z']);
    assert.deepEqual([...nodeGroup], [2, 2, 1, 3, 3]);
  });

  it('opens a scope that wraps the whole graph into the root', () => {
    const { groups, nodeGroup } = buildGroups([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'x']]);
    assert.deepEqual(groups.map((g) => g.name), ['', 'b/c']);
    assert.deepEqual([...nodeGroup], [1, 1, 0]);
  });

  it('turns If branches into openable subgraphs owned by the If node', async () => {
    const payload = await buildModelPayload(ifModel(), { title: 'if' });
    assert.equal(payload.graphs.length, 3);
    const main = fromColumns(payload.graphs[0]!);
    const ifNode = main.nodes.findIndex((n) => n.op === 'If');
    assert.deepEqual(main.nodes[ifNode]!.subgraphs.map((s) => s.attribute).sort(), ['else_branch', 'then_branch']);
    for (const s of main.nodes[ifNode]!.subgraphs) {
      const sub = payload.graphs[s.graph]!;
      assert.deepEqual(sub.owner, { graph: 0, node: ifNode, attribute: s.attribute });
      assert.ok(fromColumns(sub).nodes.some((n) => n.name === 'then_relu' || n.name === 'else_neg'));
    }
  });

  it('draws values an If body reads from the enclosing graph as edges into the If node, nested bodies included', async () => {
    const payload = await buildModelPayload(nestedCaptureModel(), { title: 'captures' });
    assert.ok(graphPayloadSchema.safeParse(payload).success);
    const main = fromColumns(payload.graphs[0]!);
    const outer = main.nodes.find((n) => n.name === 'outer_if')!;
    const names = (n: typeof outer) => n.inputs.map((t) => main.tensors[t]!.name);
    // Declared input first; then what the bodies read: relu's output and w (nested If), x (then branch).
    assert.deepEqual(names(outer), ['cond', 'relu_output_0', 'w', 'x']);
    assert.equal(outer.captures, 3);
    const xInput = main.nodes.findIndex((n) => n.kind === 'input' && n.name === 'x');
    assert.equal(main.tensors[outer.inputs[3]!]!.producer, xInput, 'the edge starts at the graph input x');
    assert.equal(main.tensors[outer.inputs[1]!]!.producer, main.nodes.findIndex((n) => n.name === 'relu'), 'and at relu');
    assert.equal(main.nodes.find((n) => n.op === 'Relu')?.captures, undefined, 'plain nodes have no captures');
    const thenGraph = fromColumns(payload.graphs[outer.subgraphs.find((s) => s.attribute === 'then_branch')!.graph]!);
    const inner = thenGraph.nodes.find((n) => n.name === 'inner_if')!;
    assert.deepEqual(inner.inputs.map((t) => thenGraph.tensors[t]!.name), ['cond', 'relu_output_0', 'w']);
    assert.equal(inner.captures, 2);
    assert.equal(thenGraph.tensors[inner.inputs[2]!]!.producer, -1, 'w comes from an outer scope');
    assert.deepEqual(toColumns(main), payload.graphs[0], 'captures survive the column round trip');
  });

  it('round-trips rows through columns', async () => {
    const payload = await buildModelPayload(transformerEncoder({ seed: 2 }), { title: 't' });
    const rows = fromColumns(payload.graphs[0]!);
    assert.deepEqual(toColumns(rows), payload.graphs[0]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(buildModelPayload(cnnClassifier({ seed: 1 }), { title: 'x', signal: controller.signal }), /stop/);
  });
});
