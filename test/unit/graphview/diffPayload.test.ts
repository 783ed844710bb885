import { strict as assert } from 'node:assert';
import { buildDiffPayload } from '../../../src/core/graphview/diffPayload';
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
});
