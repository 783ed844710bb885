import { strict as assert } from 'node:assert';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { analyseModel } from '../../../src/core/profile/profileRun';
import { publishedLatencies } from '../../../src/core/profile/published/latencies';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { testHost } from '../usecase/workspace';
import { mobilenetv2, resnet50 } from './architectures';

/**
 * The estimator against published board latencies (src/core/profile/published/latencies.ts):
 * the share of rows within 2x must stay at or above the goal of 70 %.
 */
describe('profile estimates against published board latencies', function () {
  this.timeout(120_000);
  it('keeps at least 70 % of the published rows within 2x', async () => {
    const catalog = builtinCatalog(testHost);
    const rows = [];
    for (const row of publishedLatencies) {
      const model = row.architecture === 'resnet50' ? resnet50(row.input) : mobilenetv2(row.input);
      const analysed = await analyseModel(model, {});
      const gflops = analysed.cost.totals.flops / 1e9;
      const estimate = estimateTarget(analysed, catalog.get(row.target)!, { precision: row.precision });
      const ratio = estimate.profile.latencyMs / row.latencyMs;
      rows.push({ row, gflops, estimated: estimate.profile.latencyMs, ratio });
    }
    const within = rows.filter((r) => r.ratio >= 0.5 && r.ratio <= 2).length;
    const table = rows.map((r) => `${r.row.architecture} on ${r.row.target} ${r.row.precision}: ${r.gflops.toFixed(1)} GFLOPs, published ${r.row.latencyMs} ms, estimated ${r.estimated.toFixed(2)} ms (x${r.ratio.toFixed(2)})`).join('\n');
    console.log(`${table}\nwithin 2x: ${within} of ${rows.length}`);
    // ResNet-50 at 224x224 is about 8.2 GFLOPs (4.1 GMACs): the builder's model matches the published one.
    assert.ok(Math.abs((rows.find((r) => r.row.architecture === 'resnet50')?.gflops ?? 0) - 8.2) < 0.3);
    assert.ok(within / rows.length >= 0.7, table);
  });
});
