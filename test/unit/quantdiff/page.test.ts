import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { renderQuantDiffHtml } from '../../../src/core/quantdiff/exportHtml';
import { quantDiff } from '../../../src/core/quantdiff/quantDiff';
import type { QuantDiffSummary } from '../../../src/protocol/quantdiffReport';
import { openSampleSource } from '../../../src/core/runtime/samples';
import { pageSuite } from '../graphview/pageHarness';
import { fakeQdq } from './fakeQdq';

const hostile = '<img src=x onerror="document.title=\'pwned\'">';

describe('quantization diff page in Chromium', function () {
  this.timeout(120_000);
  const pages = pageSuite();
  let report: QuantDiffSummary;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quantdiff-page-'));
    try {
      const model = cnnClassifier({ inputShape: [1, 3, 32, 32], stages: [8, 16], classes: 10 });
      await writeModelFile(model, join(dir, 'cnn.onnx'));
      await writeModelFile(await fakeQdq(model, await openSampleSource('synthetic', model.graph, { samples: 2 })), join(dir, 'cnn.int8.onnx'));
      report = await quantDiff(join(dir, 'cnn.onnx'), join(dir, 'cnn.int8.onnx'), { samples: 2, latencyRuns: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  function write(name: string, data: QuantDiffSummary): string {
    const path = join(pages.files.dir, `${name}.html`);
    writeFileSync(path, renderQuantDiffHtml(data, readFileSync(resolve('dist/webviews/quantdiff.js'), 'utf8')));
    return path;
  }

  it('shows every tensor, worst first; sorts by any column; a row shows its histogram; the SQNR chart has a point per layer', async () => {
    const o = await pages.open(write('diff', report));
    assert.deepEqual(o.requests, [], 'a self-contained page makes no request');
    const rows = o.page.locator('vscode-table[data-table="tensors"] vscode-table-row');
    assert.equal(await rows.count(), report.tensors.length);
    const worst = [...report.tensors].sort((a, b) => (a.sqnrDb ?? Infinity) - (b.sqnrDb ?? Infinity));
    assert.equal(await rows.first().getAttribute('data-tensor'), worst[0]!.name);
    assert.equal(await o.page.evaluate('document.body.dataset.histogram'), worst[0]!.name, 'the worst tensor is shown at first');
    assert.equal(await o.page.getAttribute('canvas[data-chart="sqnr"]', 'data-points'), String(report.tensors.length));

    await o.page.click('vscode-table-header-cell[data-sort="sqnr"]');
    assert.equal(await o.page.evaluate('document.body.dataset.sort'), 'sqnr:desc');
    assert.equal(await rows.first().getAttribute('data-tensor'), worst.at(-1)!.name);
    await o.page.click('vscode-table-header-cell[data-sort="order"]');
    const byOrder = [...report.tensors].sort((a, b) => a.order - b.order).map((t) => t.name);
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-tensor"))), byOrder);

    const target = byOrder[2]!;
    await o.page.click(`vscode-table-row[data-tensor="${target}"]`);
    assert.equal(await o.page.evaluate('document.body.dataset.histogram'), target);
    assert.equal(await o.page.locator('vscode-table-row.selected').getAttribute('data-tensor'), target);
    const text = (await o.page.textContent('body')) ?? '';
    assert.match(text, /Synthetic inputs/);
    assert.match(text, /cnn\.onnx → cnn\.int8\.onnx/);
    assert.match(text, /logits/);
  });

  it('shows hostile names as text and refuses malformed data', async () => {
    const renamed: QuantDiffSummary = { ...report, tensors: report.tensors.map((t, i) => (i === 0 ? { ...t, name: hostile, node: hostile } : t)) };
    const o = await pages.open(write('hostile', renamed));
    assert.equal(await o.page.locator('img').count(), 0);
    assert.notEqual(await o.page.title(), 'pwned');
    assert.ok(((await o.page.textContent('body')) ?? '').includes(hostile));
    const broken = { ...report, tensors: [{ name: 'x' }] } as unknown as QuantDiffSummary;
    const b = await pages.open(write('broken', broken));
    assert.match((await b.page.textContent('body')) ?? '', /holds no valid quantization diff data/);
  });
});
