import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { testLog } from '../bridge/client';
import { diffPair } from '../../unit/graphview/testModels';
import { extensionId, workspaceRoot } from './util/extension';
import { webviews, type WebviewHandle } from './util/webviewBridge';

/* Browser-side helpers, sent as source text to the webview (no DOM types in this tsconfig). */
interface StatusElement {
  dataset: Record<string, string | undefined>;
}
interface PageDocument {
  getElementById(id: string): StatusElement | null;
  querySelector(selector: string): unknown;
}

async function status(view: WebviewHandle): Promise<Record<string, string | undefined>> {
  return webviews.evaluate(view, () => ({ ...((globalThis as unknown as { document: PageDocument }).document.getElementById('graph-status')?.dataset ?? {}) }), null);
}

/** Colour of the canvas pixel inside the selected node, as drawn. */
async function selectedPixel(view: WebviewHandle): Promise<string> {
  return webviews.evaluate(
    view,
    () => {
      interface Canvas {
        width: number;
        getBoundingClientRect(): { left: number; top: number; width: number };
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      }
      const d = (globalThis as unknown as { document: PageDocument }).document;
      const rect = (d.getElementById('graph-status')?.dataset.selectedRect ?? '0,0,0,0').split(',').map(Number);
      const canvas = d.querySelector('canvas.graph') as Canvas;
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const x = Math.round((rect[0]! + rect[2]! * 0.6 - box.left) * scale);
      const y = Math.round((rect[1]! + rect[3]! * 0.5 - box.top) * scale);
      const px = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
      return `rgb(${px[0]},${px[1]},${px[2]})`;
    },
    null,
  );
}

/**
 * Waits for a webview of ours whose status element matches `selector` (e.g. `[data-mode="diff"]`).
 * The status element is hidden, so this matches on presence, not visibility.
 */
function graphView(statusSelector: string, timeoutMs = 30_000): Promise<WebviewHandle> {
  return webviews.waitFor({ extensionId, selector: `#graph-status${statusSelector}` }, timeoutMs);
}

function cssString(value: string): string {
  return JSON.stringify(value);
}

describe('graph view in VS Code', function () {
  this.timeout(120_000);
  const model = cnnClassifier({ seed: 1 });
  let uri: vscode.Uri;
  let view: WebviewHandle;

  before(async () => {
    uri = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-cnn.onnx');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await writeModelFile(model, uri.fsPath);
  });

  it('opens an .onnx file in the aios.graph editor and draws its graph', async () => {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is not a custom editor');
    assert.equal(input.viewType, 'aios.graph');
    view = await graphView('[data-state="shown"]');
    await webviews.waitForSelector(view, 'body[data-ready="true"]');
    const s = await status(view);
    assert.equal(s.totalNodes, String(model.graph.nodes.length));
    assert.ok(Number(s.drawn) > 0, 'nodes were drawn');
    const shot = await webviews.screenshot('graph-view', view);
    await testLog(`graph view: ${shot.path} (${shot.bytes} bytes)`);
  });

  it('finds a node with the search box', async () => {
    const pool = model.graph.nodes.find((n) => n.opType === 'MaxPool')!;
    await webviews.type(view, 'vscode-textfield.search input', 'MaxPool\n');
    await graphView(`[data-selected=${cssString(pool.name)}]`);
    assert.equal(await webviews.text(view, 'aside.details h2'), 'MaxPool');
    assert.equal((await status(view)).searchCount, '1');
  });

  it('reveals a node named by another feature (aios.revealNode)', async () => {
    const target = model.graph.nodes.filter((n) => n.opType === 'Conv').at(-1)!;
    const shown = await vscode.commands.executeCommand<boolean>('aios.revealNode', uri, target.name);
    assert.equal(shown, true);
    await graphView(`[data-selected=${cssString(target.name)}]`);
    assert.equal((await status(view)).selectedOp, 'Conv');
    const shot = await webviews.screenshot('graph-reveal', view);
    await testLog(`graph reveal: ${shot.path}`);
  });

  it('reads weight statistics through the extension host on request', async () => {
    await webviews.click(view, 'aside.details .weights vscode-button');
    await webviews.waitForSelector(view, 'aside.details .stats canvas.histogram');
    assert.match(await webviews.text(view, 'aside.details .stats'), /mean/);
  });

  it('changes node colours when an overlay is chosen', async () => {
    const before = { fill: (await status(view)).selectedFill, pixel: await selectedPixel(view) };
    await webviews.evaluate(
      view,
      () => {
        const select = (globalThis as unknown as { document: PageDocument }).document.querySelector('.toolbar vscode-single-select.overlay') as { value: string; dispatchEvent(e: unknown): void };
        select.value = 'flops';
        select.dispatchEvent(new (globalThis as unknown as { Event: new (type: string) => unknown }).Event('change'));
      },
      null,
    );
    await graphView('[data-overlay="flops"]');
    await webviews.waitForSelector(view, '.legend[data-overlay="flops"]');
    const after = { fill: (await status(view)).selectedFill, pixel: await selectedPixel(view) };
    assert.notEqual(after.fill, before.fill);
    assert.notEqual(after.pixel, before.pixel);
    const shot = await webviews.screenshot('graph-overlay', view);
    await testLog(`graph overlay: ${shot.path}`);
  });

  it('compares two models and colours a changed node', async () => {
    const { base, other, changed } = diffPair();
    const a = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-a.onnx');
    const b = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-b.onnx');
    await writeModelFile(base, a.fsPath);
    await writeModelFile(other, b.fsPath);
    const result = await vscode.commands.executeCommand<{ base: string; other: string }>('aios.compareModels', a, [a, b]);
    assert.deepEqual(result, { base: a.toString(), other: b.toString() });
    const diffView = await graphView('[data-mode="diff"]');
    await webviews.waitForSelector(diffView, '.legend[data-overlay="diff"]');
    const samePixelName = base.graph.nodes[0]!.name;
    await webviews.type(diffView, 'vscode-textfield.search input', `${samePixelName}\n`);
    await graphView(`[data-selected=${cssString(samePixelName)}][data-selected-diff="same"]`);
    const same = await selectedPixel(diffView);
    await webviews.evaluate(diffView, () => {
      const input = (globalThis as unknown as { document: PageDocument }).document.querySelector('vscode-textfield.search') as { value: string };
      input.value = '';
    }, null);
    await webviews.type(diffView, 'vscode-textfield.search input', `${changed}\n`);
    await graphView(`[data-selected=${cssString(changed)}][data-selected-diff="changed"]`);
    assert.notEqual(await selectedPixel(diffView), same, 'a changed node is drawn in another colour than an unchanged one');
    const shot = await webviews.screenshot('graph-diff', diffView);
    await testLog(`graph diff: ${shot.path}`);
  });

  it('shows a readable error for a file that is not a model', async () => {
    const bad = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-broken.onnx');
    await vscode.workspace.fs.writeFile(bad, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    await vscode.commands.executeCommand('vscode.openWith', bad, 'aios.graph');
    const failed = await graphView('[data-state="failed"]');
    assert.match(await webviews.text(failed, '.error-banner'), /Cannot show \S*graph-broken\.onnx: /);
  });

});
