import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import type { Model } from '../../../src/core/onnx/model';
import { inspectModel } from '../../../src/core/onnx/summary';
import { paddleStyleModel, qdqModel, tf2onnxStyleModel, torchStyleModel } from './exporterModels';
import { nextFrames, pageSuite, status, waitForLayout, waitInPage } from './pageHarness';

/** Where screenshots of the first screen go when AIOS_GRAPH_SCREENS names a folder (for reviews). */
const screens = process.env.AIOS_GRAPH_SCREENS;

/** The first screen of exporter-shaped graphs in headless Chromium: the input and the first real ops, readable. */
describe('graph page first screen in Chromium', function () {
  this.timeout(120_000);
  const suite = pageSuite();
  const files = suite.files;

  before(() => {
    if (screens) mkdirSync(screens, { recursive: true });
  });

  const firstScreen = async (label: string, model: Model) => {
    const path = await files.write(label, await buildModelPayload(model, { title: `${label}.onnx` }), model);
    const o = await suite.open(path);
    await waitForLayout(o.page);
    await nextFrames(o.page);
    if (screens) await o.page.screenshot({ path: `${screens}/${label}.png` });
    const s = await status(o.page);
    return { page: o.page, status: s, onScreen: (s.onScreen ?? '').split('|') };
  };

  const cases: Array<[string, () => Model, string, readonly string[]]> = [
    ['paddle-style', () => paddleStyleModel(60), 'Input:x', ['Conv', 'BatchNormalization', 'Add', 'Clip']],
    ['torch-style', () => torchStyleModel(12), 'Input:input', ['Conv', 'Relu']],
    ['tf2onnx-style', () => tf2onnxStyleModel(40), 'Input:input_1', ['Transpose', 'Conv', 'Relu']],
    ['qdq', () => qdqModel(40), 'Input:images', ['QuantizeLinear', 'DequantizeLinear', 'Conv']],
  ];
  for (const [label, make, input, ops] of cases) {
    it(`opens a ${label} graph on its input and first ops at a readable zoom, weights folded`, async () => {
      const { status: s, onScreen } = await firstScreen(label, make());
      assert.equal(onScreen[0], input, `the input is at the top of the first screen: ${s.onScreen}`);
      for (const op of ops) assert.ok(onScreen.includes(op), `${op} on the first screen: ${s.onScreen}`);
      assert.ok(!onScreen.includes('Constant') && !onScreen.includes('Identity'), `no weight nodes: ${s.onScreen}`);
      assert.ok(Number(s.scale) >= 0.6, `readable zoom, got ${s.scale}`);
    });
  }

  it('draws edge labels that never overlap one another, with weights folded and shown', async () => {
    const model = paddleStyleModel(60);
    const { page, status: folded } = await firstScreen('paddle-labels', model);
    assert.ok(Number(folded.labels) >= 5, `edge labels are drawn on the first screen: ${folded.labels}`);
    assert.equal(folded.labelOverlaps, '0', `${folded.labels} labels`);
    // Weight nodes shown: many more edges compete for the same space.
    await page.click('vscode-button.weights-toggle');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.showWeights === "true"', 30_000);
    await waitForLayout(page);
    await page.keyboard.press('Escape');
    await page.focus('canvas.graph');
    for (const key of ['+', '+']) await page.keyboard.press(key);
    await nextFrames(page);
    const shown = await status(page);
    assert.ok(Number(shown.labels) >= 5, `edge labels are drawn with weight nodes shown: ${shown.labels}`);
    assert.equal(shown.labelOverlaps, '0', `${shown.labels} labels`);
  });

  it('shows the weight nodes again with the toolbar toggle, and folds them back', async () => {
    const model = paddleStyleModel(3);
    const { page, status: before } = await firstScreen('paddle-toggle', model);
    const constants = model.graph.nodes.filter((n) => n.opType === 'Constant').length;
    // The overview shows the totals aios inspect prints, for the labelled default sizes.
    const { summary } = await inspectModel(model);
    const overview = (await page.textContent('aside.details')) ?? '';
    assert.ok(summary.params > 1000 && summary.params < 1e6);
    assert.ok(overview.includes(`params${(summary.params / 1e3).toPrecision(3)} k`), overview);
    assert.ok(overview.includes(`FLOPs${(summary.flops / 1e6).toPrecision(3)} M`), overview);
    assert.ok(overview.includes('sizes x1×3×224×224 (default sizes)'), overview);
    assert.equal(await page.textContent('vscode-button.weights-toggle'), `Weight nodes (${constants})`);
    // Hidden weight nodes are no search results; their tensors lead to the node they feed.
    await page.fill('vscode-textfield.search input', 'Constant');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.searchCount === "0"', 30_000);
    await page.fill('vscode-textfield.search input', 'conv2d_1.w_0');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.searchCount === "1"', 30_000);
    await page.fill('vscode-textfield.search input', 'Constant');
    await page.click('vscode-button.weights-toggle');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.showWeights === "true"', 30_000);
    await waitForLayout(page);
    const shown = await status(page);
    assert.equal(Number(shown.visibleItems), Number(before.visibleItems) + constants);
    assert.equal(shown.searchCount, String(constants), 'shown weight nodes are found again');
    await page.fill('vscode-textfield.search input', '');
    assert.equal(await page.getAttribute('vscode-button.weights-toggle', 'aria-pressed'), 'true');
    await page.focus('canvas.graph');
    await page.keyboard.press('w');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.showWeights === "false"', 30_000);
    await waitForLayout(page);
    assert.equal((await status(page)).visibleItems, before.visibleItems);
  });
});
