import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { quantDiff } from '../../../src/core/quantdiff/quantDiff';
import { resolveSettings } from '../../../src/core/quantize/request';
import { runQuantize } from '../../../src/core/quantize/run';

/**
 * Our quantizer folds BatchNormalization into the Conv before it and quantizes a Conv with the
 * range of the Relu after it. The Conv's fp32 output then has no counterpart in the quantized
 * model: comparing it with the quantized Conv's output (same node name) would report the folding
 * itself as noise (about 2 dB where the real figure is 35-45 dB).
 */
describe('quantdiff against our own int8 quantizer', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'quantdiff-folded-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('compares folded Conv/BatchNormalization/Relu chains at the chain output, not at the pre-activation Conv', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32], stages: [8, 16], classes: 10 });
    assert.ok(model.graph.nodes.some((n) => n.opType === 'BatchNormalization') && model.graph.nodes.some((n) => n.opType === 'Relu'), 'the fixture has Conv-BN-Relu chains');
    const fp32 = join(dir, 'cnn.onnx');
    await writeModelFile(model, fp32);
    const settings = resolveSettings({ input: fp32, precision: 'int8', calibration: 'synthetic', samples: 8 }, dir);
    const summary = await runQuantize(settings, { signal: new AbortController().signal, cwd: dir, progress: () => undefined, log: () => undefined, output: (p) => p });
    const report = await quantDiff(fp32, summary.output, { samples: 8, latencyRuns: 0 });
    const folded = report.unmatched.filter((u) => /^folded with /.test(u.reason));
    assert.ok(folded.length >= 2, `Conv and BatchNormalization outputs folded away: ${JSON.stringify(report.unmatched)}`);
    for (const t of report.tensors) assert.ok(t.sqnrDb === null || t.sqnrDb > 15, `${t.name} (${t.op}, matched by ${t.rule}): ${t.sqnrDb} dB`);
  });
});
