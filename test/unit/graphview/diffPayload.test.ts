import { strict as assert } from 'node:assert';
import { buildDiffPayload, buildSideBySideDiff } from '../../../src/core/graphview/diffPayload';
import type { Model } from '../../../src/core/onnx/model';
import { graphPayloadSchema } from '../../../src/protocol/graphPayload';
import { fromColumns } from '../../../src/protocol/graphRows';
import { diffPair } from './testModels';

describe('graph diff payload', () => {
  it('colours added, removed and changed nodes from the engine diff, removed nodes merged in order', async () => {
    const { base, other, changed, removed, added } = diffPair();
    const { payload, diff } = await buildDiffPayload(base, other, { title: 'b.onnx', baseTitle: 'a.onnx' });
    assert.ok(graphPayloadSchema.safeParse(payload).success);
    const rows = fromColumns(payload.graphs[0]!);
    const status = (name: string) => payload.diff!.status[rows.nodes.findIndex((n) => n.name === name)];
    assert.equal(status(changed), 'changed');
    assert.equal(status(removed), 'removed');
    assert.equal(status(added), 'added');
    const counts = (s: string) => payload.diff!.status.filter((x) => x === s).length;
    assert.equal(counts('added'), diff.added.length);
    assert.equal(counts('removed'), diff.removed.length);
    assert.equal(counts('changed'), diff.changed.length);
    const ops = rows.nodes.filter((n) => n.kind === 'op').map((n) => n.name);
    assert.equal(ops.length, other.graph.nodes.length + diff.removed.length);
    const at = ops.indexOf(removed);
    assert.equal(ops[at - 1], base.graph.nodes[base.graph.nodes.findIndex((n) => n.name === removed) - 1]!.name, 'removed node follows its base predecessor');
    const change = payload.diff!.changes.find((c) => rows.nodes[c.node]!.name === changed)!;
    assert.ok(change.what.some((w) => w.includes('kernel_shape')), change.what.join('; '));
    assert.equal(payload.title, 'a.onnx ↔ b.onnx');
  });

  it('marks nothing when the models are the same', async () => {
    const { base } = diffPair();
    const { payload } = await buildDiffPayload(base, base, { title: 'a', baseTitle: 'a' });
    assert.ok(payload.diff!.status.every((s) => s === 'same'));
  });

  it('side by side: each pane shows its own model, base marks removed and changed, other marks added and changed, with node pairs', async () => {
    const { base, other, changed, removed, added } = diffPair();
    const sides = await buildSideBySideDiff(base, other, { title: 'b.onnx', baseTitle: 'a.onnx' });
    for (const p of [sides.base, sides.other]) assert.ok(graphPayloadSchema.safeParse(p).success);
    const rowsA = fromColumns(sides.base.graphs[0]!);
    const rowsB = fromColumns(sides.other.graphs[0]!);
    assert.deepEqual(rowsA.nodes.filter((n) => n.kind === 'op').map((n) => n.name), base.graph.nodes.map((n) => n.name));
    assert.deepEqual(rowsB.nodes.filter((n) => n.kind === 'op').map((n) => n.name), other.graph.nodes.map((n) => n.name));
    const statusIn = (p: typeof sides.base, rows: typeof rowsA, name: string) => p.diff!.status[rows.nodes.findIndex((n) => n.name === name)];
    assert.equal(statusIn(sides.base, rowsA, removed), 'removed');
    assert.equal(statusIn(sides.base, rowsA, changed), 'changed');
    assert.equal(statusIn(sides.other, rowsB, changed), 'changed');
    assert.equal(statusIn(sides.other, rowsB, added), 'added');
    assert.ok(!sides.base.diff!.status.includes('added') && !sides.other.diff!.status.includes('removed'));
    assert.deepEqual([sides.base.diff!.side, sides.other.diff!.side], ['base', 'other']);
    assert.ok(sides.pairs.some(([x, y]) => x === changed && y === changed));
    assert.ok(!sides.pairs.some(([x]) => x === removed));
  });

  it('carries max abs difference and relative L2 of a changed weight into both views', async () => {
    const { base } = diffPair();
    const other = scaledWeight(base, 1.5);
    const conv = base.graph.nodes.find((n) => n.opType === 'Conv')!;
    const merged = await buildDiffPayload(base, other, { title: 'b', baseTitle: 'a' });
    const sides = await buildSideBySideDiff(base, other, { title: 'b', baseTitle: 'a' });
    for (const p of [merged.payload, sides.base, sides.other]) {
      const rows = fromColumns(p.graphs[0]!);
      const change = p.diff!.changes.find((c) => rows.nodes[c.node]!.name === conv.name)!;
      const w = change.weights?.find((x) => x.tensor === conv.inputs[1]);
      assert.ok(w, JSON.stringify(change));
      // Every value scaled by 1.5: ||1.5a - a|| / ||a|| = 0.5 exactly in float arithmetic on these binary fractions.
      assert.ok(Math.abs(w.relativeL2! - 0.5) < 1e-6, String(w.relativeL2));
      assert.ok(w.maxAbsDiff > 0);
    }
  });
});

/** A copy of `model` whose first Conv weight has every value multiplied by `factor`. */
function scaledWeight(model: Model, factor: number): Model {
  const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
  const initializers = model.graph.initializers.map((t) => {
    if (t.name !== conv.inputs[1]) return t;
    const read = async () => new Uint8Array(Float32Array.from(new Float32Array((await t.data.read()).slice().buffer), (v) => v * factor).buffer);
    return { ...t, data: { byteLength: t.data.byteLength, location: 'inline' as const, read } };
  });
  return { ...model, graph: { ...model.graph, initializers } };
}
