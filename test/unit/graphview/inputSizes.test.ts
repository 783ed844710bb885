import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { GraphSourceClient } from '../../../src/extension/graph/graphSourceClient';
import type { GraphPayload } from '../../../src/protocol/graphPayload';
import { fromColumns } from '../../../src/protocol/graphRows';
import { diffPair } from './testModels';

const workerPath = resolve(__dirname, '..', '..', '..', '..', 'dist', 'workers', 'graphSource.js');

function firstConv(payload: GraphPayload) {
  const rows = fromColumns(payload.graphs[0]!);
  const index = rows.nodes.findIndex((n) => n.op === 'Conv');
  const conv = rows.nodes[index]!;
  const flops = payload.overlays.find((o) => o.id === 'flops' && o.graph === 0)!;
  const overlay = flops.nodes.indexOf(index);
  return { rows, conv, shape: rows.tensors[conv.outputs[0]!]!.shape, flops: conv.flops, overlayFlops: overlay < 0 ? undefined : flops.values[overlay] };
}

describe('input sizes set in the view, recomputed in the graph source worker', function () {
  this.timeout(30_000);
  let dir: string;
  let path: string;
  let client: GraphSourceClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-sizes-'));
    path = join(dir, 'cnn.onnx');
    const model = cnnClassifier({ seed: 1, inputShape: ['batch', 3, 32, 32] });
    // Spatial dims dynamic too, as exporters write them.
    const inputs = model.graph.inputs.map((v, i) => (i === 0 && v.type?.kind === 'tensor' ? { ...v, type: { ...v.type, shape: ['batch', 3, 'height', 'width'] } } : v));
    await writeModelFile({ ...model, graph: { ...model.graph, inputs } }, path);
  });
  beforeEach(() => (client = new GraphSourceClient(workerPath)));
  afterEach(() => client.dispose());
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('recomputes shapes, FLOPs and the FLOPs overlay for the sizes given, keeping the graph structure', async () => {
    const opened = await client.open(path, 'cnn.onnx');
    const before = firstConv(opened);
    // Dynamic dims start at the default sizes `aios inspect` uses (batch 1, image sides 224).
    assert.deepEqual(before.shape, [1, 8, 224, 224], 'default sizes before');
    const resized = await client.resize({ input: [2, null, 32, 48] });
    const after = firstConv(resized);
    assert.deepEqual(after.shape, [2, 8, 32, 48]);
    // Conv 3->8 with a 3x3 kernel: 2 FLOPs per multiply-add, 27 per output element.
    assert.equal(after.flops, 2 * (2 * 8 * 32 * 48) * 27);
    assert.equal(after.overlayFlops, after.flops);
    assert.deepEqual(after.rows.nodes.map((n) => [n.name, n.op, n.group]), before.rows.nodes.map((n) => [n.name, n.op, n.group]));
    assert.deepEqual(resized.graphs[0]!.groups, opened.graphs[0]!.groups);
    const again = firstConv(await client.resize({ input: [1, null, 32, 32] }));
    assert.equal(again.flops, 2 * (8 * 32 * 32) * 27, 'a later request replaces the earlier sizes');
    const unset = firstConv(await client.resize({}));
    assert.deepEqual(unset.shape, [1, 8, 224, 224], 'an empty record goes back to the default sizes');
  });

  it('refuses sizes the model cannot take with a message that says what to do, and keeps working', async () => {
    await client.open(path, 'cnn.onnx');
    await assert.rejects(client.resize({ image: [1, 3, 32, 32] }), /the model has no input named "image" \(inputs: input\)/);
    await assert.rejects(client.resize({ input: [1, 4, 32, 32] }), /dim 1 is fixed at 3 in the model; only its dynamic dims can be set/);
    await assert.rejects(client.resize({ input: [1, 32, 32] }), /has 4 dims, but 3 sizes were given/);
    await assert.rejects(client.resize({ input: [1, null, 0, 32] }), /not a whole number from 1 to 1000000/);
    assert.deepEqual(firstConv(await client.resize({ input: [1, 3, 16, 16] })).shape, [1, 8, 16, 16]);
  });

  it('serves a side-by-side diff: both payloads, the node pairs, and weights of either model', async () => {
    const { base, other, changed } = diffPair();
    const a = join(dir, 'a.onnx');
    const b = join(dir, 'b.onnx');
    await writeModelFile(base, a);
    await writeModelFile(other, b);
    const sides = await client.openSideBySide(a, b, { title: 'b.onnx', baseTitle: 'a.onnx' });
    assert.deepEqual([sides.base.diff?.side, sides.other.diff?.side], ['base', 'other']);
    assert.ok(sides.pairs.some(([x, y]) => x === changed && y === changed));
    const weight = base.graph.initializers[0]!.name;
    assert.equal((await client.weights(0, weight, 'base')).tensor, weight);
    assert.equal((await client.weights(0, weight)).tensor, weight);
    await assert.rejects(client.resize({ input: [1, 3, 32, 32] }), /not for a diff/);
  });
});
