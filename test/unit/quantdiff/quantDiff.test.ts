import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { quantDiff } from '../../../src/core/quantdiff/quantDiff';
import { openSampleSource } from '../../../src/core/runtime/samples';
import { fakeQdq } from './fakeQdq';

describe('quantdiff: fp32 against QDQ models', function () {
  this.timeout(120_000);
  let dir: string;
  let fp32: string;
  let int8: string;
  let coarse: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quantdiff-'));
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32], stages: [8, 16], classes: 10 });
    const calibration = await openSampleSource('synthetic', model.graph, { samples: 4, seed: 100 });
    fp32 = join(dir, 'cnn.onnx');
    int8 = join(dir, 'cnn.int8.onnx');
    coarse = join(dir, 'cnn.int4act.onnx');
    await writeModelFile(model, fp32);
    await writeModelFile(await fakeQdq(model, calibration), int8);
    await writeModelFile(await fakeQdq(model, calibration, 16), coarse);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches every activation by name, reads the value after Q/DQ, and reports pooled figures per tensor and output', async () => {
    const report = await quantDiff(fp32, int8, { samples: 4, latencyRuns: 3 });
    assert.equal(report.data.synthetic, true);
    assert.equal(report.data.samples, 4);
    assert.deepEqual(report.unmatched, []);
    assert.ok(report.tensors.length >= 10, `${report.tensors.length} tensors`);
    for (const t of report.tensors) {
      assert.equal(t.rule, 'name');
      // Graph outputs stay float in the QDQ model (as onnxruntime's quantizer leaves them).
      const after = t.name === 'logits' ? 'logits' : `${t.name}_DequantizeLinear_Output`;
      assert.equal(t.quantTensor, after, `${t.name} is read after its Q/DQ pair`);
      assert.ok(t.sqnrDb !== null && t.sqnrDb > 15 && t.sqnrDb < 60, `${t.name}: ${t.sqnrDb} dB`);
      assert.ok(t.cosine > 0.95 && t.cosine <= 1);
      assert.ok(t.histogram && t.histogram.fp32.reduce((a, b) => a + b, 0) === t.histogram.quant.reduce((a, b) => a + b, 0));
    }
    assert.deepEqual(report.tensors.map((t) => t.order), [...report.tensors.map((t) => t.order)].sort((a, b) => a - b), 'graph order');
    const [out] = report.outputs;
    assert.equal(report.outputs.length, 1);
    assert.ok(out && out.sqnrDb !== null && out.sqnrDb > 15, `output ${out?.sqnrDb} dB`);
    assert.ok(out.decisionAgreement !== undefined && out.decisionAgreement >= 0.75, `top-1 agreement ${out.decisionAgreement}`);
    assert.ok(report.fp32.latencyMs !== undefined && report.quant.latencyMs !== undefined);
    assert.ok(report.quant.bytes < report.fp32.bytes, 'int8 weights make the file smaller');
  });

  it('a coarser activation grid gives a lower SQNR, and a model against itself has no error', async () => {
    const fine = await quantDiff(fp32, int8, { samples: 2, latencyRuns: 0 });
    const rough = await quantDiff(fp32, coarse, { samples: 2, latencyRuns: 0 });
    const sqnr = (r: typeof fine) => r.outputs[0]?.sqnrDb ?? NaN;
    assert.ok(sqnr(rough) < sqnr(fine) - 10, `16 levels ${sqnr(rough)} dB vs 256 levels ${sqnr(fine)} dB`);
    const same = await quantDiff(fp32, fp32, { samples: 2, latencyRuns: 0 });
    assert.ok(same.tensors.length > 0 && same.tensors.every((t) => t.sqnrDb === null && t.maxAbsErr === 0 && t.quantTensor === t.name));
    assert.equal(same.outputs[0]?.decisionAgreement, 1);
  });

  it('splits the tensors into groups when they exceed the memory budget, with the same figures', async () => {
    const whole = await quantDiff(fp32, int8, { samples: 2, latencyRuns: 0 });
    const progress: string[] = [];
    const split = await quantDiff(fp32, int8, { samples: 2, latencyRuns: 0, memoryBudget: 20_000, progress: (_s, _f, m) => m && progress.push(m) });
    assert.ok(progress.some((m) => /tensor group 3\//.test(m)), progress.join('; '));
    // Fetching other tensors changes which kernels onnxruntime fuses: last-digit differences only.
    assert.deepEqual(split.tensors.map((t) => t.name), whole.tensors.map((t) => t.name));
    split.tensors.forEach((t, i) => assert.ok(Math.abs((t.sqnrDb ?? 0) - (whole.tensors[i]?.sqnrDb ?? 0)) < 0.01, `${t.name}: ${t.sqnrDb} vs ${whole.tensors[i]?.sqnrDb}`));
  });
});
