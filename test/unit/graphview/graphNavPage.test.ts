import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { buildDiffPayload, buildSideBySideDiff } from '../../../src/core/graphview/diffPayload';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import type { Model } from '../../../src/core/onnx/model';
import { fromColumns } from '../../../src/protocol/graphRows';
import { nextFrames, pageSuite, searchAndSelect, status, waitForLayout, waitInPage } from './pageHarness';
import { graph, model as makeModel, node, tensor, valueInfo } from './syntheticModels';
import { diffPair, nestedCaptureModel } from './testModels';

/** Two scopes, /a (x1, x2) then /b (a Constant first, then y1 taking x2 and the constant, y2): the data path crosses from /a to /b. */
function twoScopes(): Model {
  return makeModel(
    graph({
      inputs: [valueInfo('in', [1, 8])],
      outputs: [valueInfo('out', [1, 8])],
      initializers: [tensor('w', [8, 8])],
      nodes: [
        node('Constant', '/b/bias', [], ['bias'], [{ name: 'value', value: { type: 'tensor', value: tensor('bias', [1, 8]) } }]),
        node('MatMul', '/a/x1', ['in', 'w'], ['t1']),
        node('Relu', '/a/x2', ['t1'], ['t2']),
        node('Add', '/b/y1', ['t2', 'bias'], ['t3']),
        node('Relu', '/b/y2', ['t3'], ['out']),
      ],
    }),
  );
}

/** Paddle-style: every Conv weight comes from an unnamed Constant node. */
function unnamedConstants(): Model {
  const base = cnnClassifier({ seed: 1 });
  const weights = new Map(base.graph.initializers.map((t) => [t.name, t]));
  const constants = base.graph.initializers.map((t) => ({ name: '', opType: 'Constant', domain: '', inputs: [], outputs: [t.name], attributes: [{ name: 'value', value: { type: 'tensor' as const, value: t } }] }));
  return { ...base, graph: { ...base.graph, initializers: [], inputs: base.graph.inputs.filter((i) => !weights.has(i.name)), nodes: [...constants, ...base.graph.nodes] } };
}

/** Picks an overlay in the toolbar's picker (a native select or its replacement), as a user would. */
async function chooseOverlay(page: Page, id: string): Promise<void> {
  await page.evaluate(`(() => {
    const picker = document.querySelector('[aria-label="Overlay"]');
    picker.value = ${JSON.stringify(id)};
    picker.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
  await nextFrames(page);
}

describe('graph page navigation and diff in Chromium', function () {
  this.timeout(120_000);
  const suite = pageSuite();
  const files = suite.files;
  const open = (path: string) => suite.open(path);

  it('the details panel never squeezes long names to a few characters per line', async () => {
    const long = (what: string) => `/encoder/layers.11/self_attention/${what}_projection_with_a_very_long_exporter_generated_suffix_0`;
    const model = makeModel(
      graph({
        inputs: [valueInfo(long('input'), ['batch_size_of_the_request', 'sequence_length_of_the_prompt', 8])],
        outputs: [valueInfo(long('output'), ['batch_size_of_the_request', 'sequence_length_of_the_prompt', 8])],
        initializers: [tensor(long('weight'), [8, 8])],
        nodes: [node('MatMul', long('MatMul'), [long('input'), long('weight')], [long('output')])],
      }),
    );
    const path = await files.write('long-names', await buildModelPayload(model, { title: 'long.onnx' }), model);
    const { page } = await open(path);
    await waitForLayout(page);
    await searchAndSelect(page, 'MatMul');
    await waitInPage(page, 'document.querySelectorAll("aside.details vscode-table.tensors vscode-table-cell").length > 0', 30_000);
    // One character per line is a cell a few pixels wide and many lines tall: every cell holding
    // text keeps room for several characters, and no name wraps onto more lines than 1 per 8 characters.
    const cells = await page.evaluate<Array<{ text: string; width: number; lines: number }>>(`[...document.querySelectorAll('aside.details vscode-table-cell')]
      .filter((td) => td.textContent.trim().length >= 4)
      .map((td) => ({ text: td.textContent.trim(), width: td.getBoundingClientRect().width, lines: (() => { const r = document.createRange(); r.selectNodeContents(td); return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; })() }))`);
    assert.ok(cells.some((c) => c.text.includes('very_long_exporter')), 'the long names are in the panel');
    for (const cell of cells) {
      assert.ok(cell.width >= 48, `cell "${cell.text.slice(0, 40)}" is ${cell.width.toFixed(0)} px wide`);
      assert.ok(cell.lines <= Math.max(2, Math.ceil(cell.text.length / 8)), `cell "${cell.text.slice(0, 40)}" takes ${cell.lines} lines for ${cell.text.length} characters`);
    }
  });

  it('search lists results by name and op and says why each matched; unnamed Constants show their tensor, not a bare op', async () => {
    const model = unnamedConstants();
    const path = await files.write('constants', await buildModelPayload(model, { title: 'paddle.onnx' }));
    const { page } = await open(path);
    const results = async () => {
      await page.focus('vscode-textfield.search input');
      await page.fill('vscode-textfield.search input', '');
      await page.fill('vscode-textfield.search input', 'conv');
      await page.waitForSelector('.results div[data-node]');
      return page.$$eval('.results div[data-node]', (els) => els.map((e) => ({ name: e.querySelector('.name')?.textContent ?? '', op: e.querySelector('.op')?.textContent ?? '', why: e.querySelector('.why')?.textContent ?? '' })));
    };
    const check = (rows: Array<{ name: string; op: string; why: string }>) => {
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.notEqual(r.name, '', JSON.stringify(r));
        assert.notEqual(r.name, r.op, `a row shows more than its op: ${JSON.stringify(r)}`);
        assert.match(r.why, /^(name|op|tensor .+)$/, JSON.stringify(r));
      }
    };
    // Weights folded into their consumers (the default): no Constant rows at all.
    const folded = await results();
    check(folded);
    assert.ok(!folded.some((r) => r.op === 'Constant'), JSON.stringify(folded));
    // Weight nodes shown (W): the unnamed Constants are found through their tensor and listed by it.
    await page.focus('canvas.graph');
    await page.keyboard.press('w');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.showWeights === "true"', 30_000);
    const rows = await results();
    check(rows);
    const constantRows = rows.filter((r) => r.op === 'Constant');
    assert.ok(constantRows.length > 0, 'the unnamed Constants feeding Convs are found through their tensor');
    for (const r of constantRows) assert.ok(model.graph.nodes.some((n) => n.opType === 'Constant' && n.outputs[0] === r.name), `${r.name} is a Constant's output`);
    assert.ok(rows.some((r) => r.op === 'Conv' && (r.why === 'name' || r.why === 'op')));
  });

  it('says an overlay is unknown for every node instead of drawing a 0 … 0 legend', async () => {
    const built = await buildModelPayload(cnnClassifier({ seed: 1 }), { title: 'unknown.onnx' });
    // What the builder sends when the cost model knows no node's FLOPs (shapes unknown).
    const main = { ...built.graphs[0]!, nodes: { ...built.graphs[0]!.nodes, flops: built.graphs[0]!.nodes.flops.map(() => null) } };
    const payload = { ...built, graphs: [main, ...built.graphs.slice(1)], overlays: built.overlays.map((o) => (o.id === 'flops' ? { ...o, nodes: [], values: [] } : o)) };
    const { page } = await open(await files.write('unknown', payload));
    assert.equal((await status(page)).totalFlops, 'unknown');
    await chooseOverlay(page, 'flops');
    assert.equal(await page.getAttribute('.legend', 'data-unknown'), 'true');
    const legend = (await page.textContent('.legend')) ?? '';
    assert.match(legend, /unknown for every node/);
    assert.doesNotMatch(legend, /0\s*…\s*0/);
    await chooseOverlay(page, 'params');
    assert.equal(await page.getAttribute('.legend', 'data-unknown'), null, 'a known overlay draws its ramp again');
  });

  it('steps through the changes of a diff with the buttons and the N / P keys', async () => {
    const { base, other, changed, removed, added } = diffPair();
    const { payload } = await buildDiffPayload(base, other, { title: 'b.onnx', baseTitle: 'a.onnx' });
    const names = fromColumns(payload.graphs[0]!).nodes.map((n) => n.name);
    const { page } = await open(await files.write('diff-steps', payload));
    const order = payload.diff!.status.map((s, i) => [s, i] as const).filter(([s]) => s !== 'same').map(([, i]) => i);
    assert.equal((await status(page)).changeCount, String(order.length));
    const seen: string[] = [];
    for (let k = 0; k < order.length; k++) {
      const previous = JSON.stringify((await status(page)).selected ?? null);
      await page.click('[data-action="diff-next"]');
      await waitInPage(page, `(({ selected, selectedDiff }) => selected !== undefined && selected !== ${previous} && selectedDiff !== "same")(document.getElementById("graph-status").dataset)`, 30_000);
      await waitForLayout(page);
      seen.push((await status(page)).selected!);
      assert.match((await page.textContent('.diff-count')) ?? '', new RegExp(`change ${k + 1} of ${order.length}`));
    }
    assert.deepEqual(new Set(seen), new Set(order.map((i) => names[i])));
    for (const name of [changed, removed, added]) assert.ok(seen.includes(name), name);
    await page.focus('canvas.graph');
    await page.keyboard.press('n');
    await nextFrames(page);
    assert.equal((await status(page)).selected, seen[0], 'N wraps around to the first change');
    await page.keyboard.press('p');
    await nextFrames(page);
    assert.equal((await status(page)).selected, seen[seen.length - 1], 'P goes back (wrapping)');
  });

  it('lists max |Δ| and relative L2 of a changed weight in the details of a side-by-side pane', async () => {
    const { base } = diffPair();
    const conv = base.graph.nodes.find((n) => n.opType === 'Conv')!;
    const initializers = base.graph.initializers.map((t) => (t.name !== conv.inputs[1] ? t : { ...t, data: { byteLength: t.data.byteLength, location: 'inline' as const, read: async () => new Uint8Array(Float32Array.from(new Float32Array((await t.data.read()).slice().buffer), (v) => v * 2).buffer) } }));
    const other = { ...base, graph: { ...base.graph, initializers } };
    const sides = await buildSideBySideDiff(base, other, { title: 'b.onnx', baseTitle: 'a.onnx' });
    const { page } = await open(await files.write('side-other', sides.other));
    assert.equal((await status(page)).side, 'other');
    await searchAndSelect(page, conv.name);
    const row = await page.waitForSelector(`aside.details vscode-table.weight-changes vscode-table-row[data-tensor="${conv.inputs[1]}"]`);
    assert.equal(await row.$eval('.rel-l2', (e) => e.textContent), '1.000');
  });

  it('draws values an If body reads from the outer graph as edges into the If node, listed apart in its details', async () => {
    const model = nestedCaptureModel();
    const { page } = await open(await files.write('captures', await buildModelPayload(model, { title: 'if.onnx' })));
    await searchAndSelect(page, 'outer_if');
    const sections = await page.$$eval('aside.details section h3', (els) => els.map((e) => e.textContent));
    assert.ok(sections.includes('used by its subgraphs'), sections.join(', '));
    await page.focus('canvas.graph');
    await page.keyboard.press('ArrowUp');
    await nextFrames(page);
    assert.notEqual((await status(page)).selected, 'outer_if', 'an edge leads up from the If node');
  });

  it('arrow keys follow the data path out of a group and back, passing over constants', async () => {
    const { page } = await open(await files.write('scopes', await buildModelPayload(twoScopes(), { title: 'scopes.onnx' })));
    await searchAndSelect(page, '/a/x2');
    await page.focus('canvas.graph');
    const press = async (key: string) => {
      await page.keyboard.press(key);
      await nextFrames(page);
      return (await status(page)).selected;
    };
    assert.equal(await press('ArrowDown'), '/b/y1', 'down leaves /a for its consumer in /b');
    assert.equal(await press('ArrowUp'), '/a/x2', 'up goes back along the data input, not to the /b/bias Constant');
    assert.equal(await press('ArrowUp'), '/a/x1');
    assert.equal(await press('ArrowUp'), 'in');
  });

  it('opening a subgraph clears the enclosing graph\'s search highlights', async () => {
    const { page } = await open(await files.write('subgraph-clean', await buildModelPayload(nestedCaptureModel(), { title: 'if.onnx' })));
    await searchAndSelect(page, 'outer_if');
    assert.ok(Number((await status(page)).searchCount) > 0);
    await page.focus('canvas.graph');
    await page.keyboard.press('Enter');
    await waitInPage(page, 'document.getElementById("graph-status").dataset.graph !== "main"', 30_000);
    await nextFrames(page);
    const s = await status(page);
    assert.equal(s.searchCount, '0', 'no search hits carried into the body');
    assert.equal(s.selected, undefined, 'no selection carried into the body');
    assert.equal(await page.inputValue('vscode-textfield.search input'), '');
  });
});
