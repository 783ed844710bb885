import { strict as assert } from 'node:assert';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { analyseModel } from '../../../src/core/profile/profileRun';
import { publishedLatencies } from '../../../src/core/profile/published/latencies';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { testHost } from '../usecase/workspace';
import type { Model } from '../../../src/core/onnx/model';
import { mobilenetv2, resnet } from './architectures';

const build = (architecture: string, input: readonly number[]): Model => {
  const depth = /^resnet(\d+)$/.exec(architecture)?.[1];
  return depth ? resnet(Number(depth) as 18 | 50 | 101, input) : mobilenetv2(input);
};

/**
 * The estimator against published board latencies (src/core/profile/published/latencies.ts):
 * the share of rows within 2x must stay at or above the goal of 70 %.
 */
describe('profile estimates against published board latencies', function () {
  this.timeout(120_000);
  it('keeps at least 70 % of the published rows within 2x', async () => {
    const catalog = builtinCatalog(testHost);
    const rows: Array<{ row: (typeof publishedLatencies)[number]; gflops: number; estimated: number; ratio: number }> = [];
    for (const row of publishedLatencies) {
      const model = build(row.architecture, row.input);
      const analysed = await analyseModel(model, {});
      const gflops = analysed.cost.totals.flops / 1e9;
      const estimate = estimateTarget(analysed, catalog.get(row.target)!, { precision: row.precision });
      const ratio = estimate.profile.latencyMs / row.latencyMs;
      rows.push({ row, gflops, estimated: estimate.profile.latencyMs, ratio });
    }
    const within = rows.filter((r) => r.ratio >= 0.5 && r.ratio <= 2).length;
    const table = rows.map((r) => `${r.row.architecture} on ${r.row.target} ${r.row.precision}: ${r.gflops.toFixed(1)} GFLOPs, published ${r.row.latencyMs} ms, estimated ${r.estimated.toFixed(2)} ms (x${r.ratio.toFixed(2)})`).join('\n');
    console.log(`${table}\nwithin 2x: ${within} of ${rows.length}`);
    // At 224x224 (torchvision): ResNet-18 1.8, ResNet-50 4.1, ResNet-101 7.8 GMACs, MobileNet-v2 0.3: the builder's models match the published ones.
    const gflops = (a: string) => rows.find((r) => r.row.architecture === a)?.gflops ?? 0;
    for (const [a, expected] of [['resnet18', 3.6], ['resnet50', 8.2], ['resnet101', 15.7], ['mobilenetv2', 0.6]] as const) assert.ok(Math.abs(gflops(a) / expected - 1) < 0.08, `${a}: ${gflops(a)} GFLOPs`);
    assert.ok(within / rows.length >= 0.7, table);
  });
});
