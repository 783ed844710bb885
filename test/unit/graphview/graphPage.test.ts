import { strict as assert } from 'node:assert';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { buildDiffPayload } from '../../../src/core/graphview/diffPayload';
import { chooseOverlay, nextFrames, pageSuite, searchAndSelect, selectedPixel, status, waitForLayout, waitInPage, type OpenedPage } from './pageHarness';
import { transformerModel } from './syntheticModels';
import { diffPair, hostileModel, hostileNames, ifModel } from './testModels';

/** The exported graph page (the same app as the VS Code webview) in headless Chromium. */
describe('graph page in Chromium', function () {
  this.timeout(120_000);
  const suite = pageSuite();
  const files = suite.files;
  const open = (path: string, colorScheme?: 'light' | 'dark') => suite.open(path, colorScheme ? { colorScheme } : {});

  it('draws a model, makes no network request at all, and searches node names', async () => {
    const model = cnnClassifier({ seed: 1 });
    const path = await files.write('cnn', await buildModelPayload(model, { title: 'cnn.onnx' }), model);
    const { page, requests } = await open(path);
    const first = await status(page);
    assert.equal(first.totalNodes, String(model.graph.nodes.length));
    assert.equal(first.state, 'shown');
    const pool = model.graph.nodes.find((n) => n.opType === 'MaxPool')!;
    await searchAndSelect(page, 'maxpool');
    const s = await status(page);
    assert.equal(s.selected, pool.name);
    assert.equal(s.selectedOp, 'MaxPool');
    assert.equal(s.searchCount, '1');
    assert.equal(await page.textContent('aside.details h2'), 'MaxPool');
    assert.ok(Number(s.drawn) > 0);
    assert.deepEqual(requests.filter((u) => !u.startsWith('blob:')), [], 'only blob: URLs (the layout worker) are loaded');
  });

  it('finds nodes by tensor name and moves along edges with the keyboard', async () => {
    const model = cnnClassifier({ seed: 1 });
    const path = await files.write('cnn-keys', await buildModelPayload(model, { title: 'cnn.onnx' }));
    const { page } = await open(path);
    const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    await searchAndSelect(page, conv.outputs[0]!);
    assert.equal((await status(page)).selected, conv.name);
    const consumer = model.graph.nodes.find((n) => n.inputs.includes(conv.outputs[0]!))!;
    await page.focus('canvas.graph');
    await page.keyboard.press('ArrowDown');
    await nextFrames(page);
    assert.equal((await status(page)).selected, consumer.name);
    await page.keyboard.press('ArrowUp');
    await nextFrames(page);
    assert.equal((await status(page)).selected, conv.name);
  });

  it('colours nodes by FLOPs when the overlay is chosen, with a legend', async () => {
    const model = cnnClassifier({ seed: 1 });
    const path = await files.write('cnn-overlay', await buildModelPayload(model, { title: 'cnn.onnx' }));
    const { page } = await open(path);
    await searchAndSelect(page, model.graph.nodes.find((n) => n.opType === 'Conv')!.name);
    const before = { fill: (await status(page)).selectedFill, pixel: await selectedPixel(page) };
    assert.equal(await page.isVisible('.legend'), false);
    await chooseOverlay(page, 'flops');
    await nextFrames(page);
    const after = { fill: (await status(page)).selectedFill, pixel: await selectedPixel(page) };
    assert.equal((await status(page)).overlay, 'flops');
    assert.notEqual(after.fill, before.fill);
    assert.notEqual(after.pixel, before.pixel, 'the drawn node changed colour');
    assert.equal(await page.getAttribute('.legend', 'data-overlay'), 'flops');
    assert.match((await page.textContent('.legend')) ?? '', /FLOPs/);
  });

  it('shows weight statistics and a histogram on request', async () => {
    const model = cnnClassifier({ seed: 1 });
    const path = await files.write('cnn-weights', await buildModelPayload(model, { title: 'cnn.onnx' }), model);
    const { page } = await open(path);
    await searchAndSelect(page, model.graph.nodes.find((n) => n.opType === 'Conv')!.name);
    await page.click('aside.details .weights vscode-button');
    await page.waitForSelector('aside.details .stats canvas.histogram');
    const text = (await page.textContent('aside.details .stats')) ?? '';
    assert.match(text, /min/);
    assert.match(text, /std/);
  });

  it('colours a changed node in diff mode', async () => {
    const { base, other, changed, added } = diffPair();
    const { payload } = await buildDiffPayload(base, other, { title: 'b.onnx', baseTitle: 'a.onnx' });
    const path = await files.write('diff', payload);
    const { page } = await open(path);
    assert.equal((await status(page)).mode, 'diff');
    assert.equal(await page.getAttribute('.legend', 'data-overlay'), 'diff');
    await searchAndSelect(page, added);
    const addedPixel = await selectedPixel(page);
    await page.fill('vscode-textfield.search input', '');
    await searchAndSelect(page, changed);
    const s = await status(page);
    assert.equal(s.selected, changed);
    assert.equal(s.selectedDiff, 'changed');
    const changedPixel = await selectedPixel(page);
    await page.fill('vscode-textfield.search input', '');
    await searchAndSelect(page, base.graph.nodes[0]!.name);
    assert.equal((await status(page)).selectedDiff, 'same');
    const samePixel = await selectedPixel(page);
    assert.notEqual(changedPixel, samePixel);
    assert.notEqual(addedPixel, samePixel);
    assert.notEqual(addedPixel, changedPixel);
    assert.match((await page.textContent('aside.details')) ?? '', /kernel_shape/);
  });

  it('shows hostile names literally and never as markup', async () => {
    const model = hostileModel();
    const path = await files.write('hostile', await buildModelPayload(model, { title: hostileNames.script }));
    const { page, dialogs } = await open(path);
    await searchAndSelect(page, hostileNames.img);
    assert.equal((await status(page)).selected, hostileNames.img);
    const details = (await page.textContent('aside.details')) ?? '';
    assert.ok(details.includes(hostileNames.img), 'node name shown as text');
    assert.ok(details.includes(hostileNames.script), 'tensor name shown as text');
    assert.ok(details.includes('<img src=y onerror=alert(4)>'), 'doc string shown as text');
    // The page's own elements, and inside the vscode-elements' shadow roots everything but their own icons (svg).
    const fromModel = await page.evaluate<number[]>(`(() => {
      const roots = [...document.querySelectorAll('*')].map((e) => e.shadowRoot).filter(Boolean);
      return [document.querySelectorAll('img, svg, b, i').length, roots.reduce((n, r) => n + r.querySelectorAll('img, b, i').length, 0)];
    })()`);
    assert.deepEqual(fromModel, [0, 0], 'no element came from a model string');
    await page.fill('vscode-textfield.search input', '');
    await searchAndSelect(page, 'ctl');
    assert.equal((await status(page)).selected, hostileNames.control);
    // Control characters are made visible (␇ bell, ␀ nul, ␛ escape) instead of vanishing.
    assert.equal(await page.textContent('aside.details vscode-table-cell:nth-child(2)'), 'ctl\u2407bell\u2400nul\u241bend');
    await page.fill('vscode-textfield.search input', '');
    await searchAndSelect(page, 'custom');
    assert.equal(await page.textContent('aside.details h2'), '<b>Bold</b>');
    assert.match((await page.textContent('.toolbar .title')) ?? '', /<\/script><script>alert\(2\)<\/script>/);
    assert.deepEqual(dialogs, []);
  });

  it('opens an If branch as a subgraph and goes back with Backspace', async () => {
    const path = await files.write('if', await buildModelPayload(ifModel(), { title: 'if.onnx' }));
    const { page } = await open(path);
    await searchAndSelect(page, 'branch');
    await page.click('aside.details vscode-button[data-subgraph]:has-text("then_branch")');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.graph.endsWith("then_branch")', 30_000);
    await waitForLayout(page);
    assert.equal((await status(page)).totalNodes, '1');
    await page.focus('canvas.graph');
    await page.keyboard.press('Backspace');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.graph === "main" && document.getElementById("graph-status").dataset.selected === "branch"', 30_000);
    assert.equal((await status(page)).selectedOp, 'If');
  });

  it('starts a big graph collapsed and expands the groups around a found node', async () => {
    const model = transformerModel(3000);
    const path = await files.write('big', await buildModelPayload(model, { title: 'big.onnx' }));
    const { page } = await open(path);
    const before = await status(page);
    assert.ok(Number(before.visibleItems) < 400, `initially ${before.visibleItems} items visible`);
    const target = '/encoder/layer.150/mlp/fc2/MatMul';
    await searchAndSelect(page, target);
    const after = await status(page);
    assert.equal(after.selected, target);
    assert.ok(Number(after.visibleItems) > Number(before.visibleItems), 'the enclosing groups opened');
  });

  it('follows the colour scheme (dark)', async () => {
    const model = cnnClassifier({ seed: 1 });
    const path = await files.write('cnn-dark', await buildModelPayload(model, { title: 'cnn.onnx' }));
    const light = await open(path, 'light');
    const dark = await open(path, 'dark');
    assert.equal((await status(light.page)).theme, 'light');
    assert.equal((await status(dark.page)).theme, 'dark');
    const corner = (p: OpenedPage) => p.page.evaluate<number[]>('Array.from(document.querySelector("canvas.graph").getContext("2d").getImageData(2, 2, 1, 1).data)');
    const [lr] = await corner(light);
    const [dr] = await corner(dark);
    assert.ok(lr! > 200 && dr! < 60, `background ${lr} (light) vs ${dr} (dark)`);
  });
});
