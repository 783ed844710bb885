import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import type { Model } from '../../../src/core/onnx/model';
import { writeModelFile } from '../../../src/core/onnx/write';
import { testLog } from '../bridge/client';
import { diffPair } from '../../unit/graphview/testModels';
import { extensionId, workspaceRoot } from './util/extension';
import { webviews, type WebviewHandle } from './util/webviewBridge';

interface PageDocument {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
}

async function status(view: WebviewHandle): Promise<Record<string, string | undefined>> {
  return webviews.evaluate(view, () => ({ ...((globalThis as unknown as { document: PageDocument }).document.getElementById('graph-status')?.dataset ?? {}) }), null);
}

/** A graph webview whose status element matches `selector` (the element is hidden: presence, not visibility). */
function graphView(selector: string, timeoutMs = 30_000): Promise<WebviewHandle> {
  return webviews.waitFor({ extensionId, selector: `#graph-status${selector}` }, timeoutMs);
}

/** Status of every graph webview, for failure messages. */
async function allStatuses(): Promise<string> {
  const out: string[] = [];
  for (const frame of await webviews.frames()) {
    if (!frame.webview) continue;
    try {
      const s = await status(frame.webview);
      const banner = await webviews.evaluate(frame.webview, () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('.error-banner')?.textContent ?? '', null);
      out.push(JSON.stringify({ ...s, banner }));
    } catch (error) {
      out.push(`(${error instanceof Error ? error.message.slice(0, 80) : String(error)})`);
    }
  }
  return out.join('\n');
}

/** The CNN fixture with batch, height and width dynamic, as exporters write them. */
function dynamicCnn(): Model {
  const model = cnnClassifier({ seed: 1, inputShape: ['batch', 3, 32, 32] });
  const inputs = model.graph.inputs.map((v, i) => (i === 0 && v.type?.kind === 'tensor' ? { ...v, type: { ...v.type, shape: ['batch', 3, 'height', 'width'] } } : v));
  return { ...model, graph: { ...model.graph, inputs } };
}

describe('graph view: input sizes and side-by-side diff in VS Code', function () {
  this.timeout(120_000);

  it('sets dynamic input dims in the view: shapes and FLOPs are recomputed, and the sizes survive a webview reload', async () => {
    const model = dynamicCnn();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-dynamic.onnx');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await writeModelFile(model, uri.fsPath);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    const title = '[data-title="graph-dynamic.onnx"]';
    const view = await graphView(`${title}[data-state="shown"]`);
    const before = await status(view);
    assert.equal(before.inputSizesState, 'default');

    await webviews.click(view, '[data-action="input-sizes"]');
    await webviews.waitForSelector(view, '.input-sizes vscode-textfield[data-dim="0"] input');
    const editable = await webviews.evaluate(view, () => [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ dataset: Record<string, string> }> } }).document.querySelectorAll('.input-sizes vscode-textfield')].map((e) => e.dataset.dim), null);
    assert.deepEqual(editable, ['0', '2', '3'], 'only the dynamic dims are editable (channels are fixed at 3)');
    await webviews.type(view, '.input-sizes vscode-textfield[data-dim="0"] input', '2');
    await webviews.type(view, '.input-sizes vscode-textfield[data-dim="2"] input', '32');
    await webviews.type(view, '.input-sizes vscode-textfield[data-dim="3"] input', '48');
    await webviews.click(view, '.input-sizes vscode-button.apply');
    await graphView(`${title}[data-input-sizes-state="applied"]`);
    const after = await status(view);
    assert.equal(after.inputSizes, 'input=2×3×32×48');
    // The same figure the engine gives for these sizes, computed here in the extension host.
    const expected = await buildModelPayload(model, { title: 'x', inputSizes: { input: [2, null, 32, 48] } });
    const flops = expected.graphs[0]!.nodes.flops.reduce<number>((sum, f) => sum + (f ?? 0), 0);
    assert.equal(after.totalFlops, String(flops));
    assert.notEqual(after.totalFlops, before.totalFlops);

    const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    await webviews.type(view, 'vscode-textfield.search input', `${conv.name}\n`);
    await graphView(`${title}[data-selected=${JSON.stringify(conv.name)}]`);
    const shapes = await webviews.evaluate(view, () => [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document.querySelectorAll('aside.details vscode-table.tensors .shape')].map((e) => e.textContent), null);
    assert.ok(shapes.includes('2×8×32×48'), shapes.join(', '));
    const shot = await webviews.screenshot('graph-input-sizes', view);
    await testLog(`graph input sizes: ${shot.path}`);

    // Mark the page about to go, so the wait below cannot find it before its frame is detached.
    await webviews.evaluate(view, () => ((globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.beforeReload = 'true'), null);
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const reloaded = await webviews.waitFor({ extensionId, selector: `body:not([data-before-reload]) #graph-status${title}[data-state="shown"][data-input-sizes-state="applied"]` }, 30_000);
    assert.equal((await status(reloaded)).inputSizes, 'input=2×3×32×48', 'the sizes came back from the webview state');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('compares two models side by side; next change moves the selection in both panes', async () => {
    const { base, other, changed } = diffPair();
    const a = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'side-a.onnx');
    const b = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'side-b.onnx');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(a, '..'));
    await writeModelFile(base, a.fsPath);
    await writeModelFile(other, b.fsPath);
    const result = await vscode.commands.executeCommand<{ base: string; other: string; layout: string }>('aios.compareModels', a, [a, b], { layout: 'sideBySide' });
    assert.deepEqual(result, { base: a.toString(), other: b.toString(), layout: 'sideBySide' });
    const [left, right] = await Promise.all([graphView('[data-side="base"][data-state="shown"]'), graphView('[data-side="other"][data-state="shown"]')]).catch(async (error: unknown) => {
      const shot = await webviews.screenshot('graph-side-by-side-failed');
      throw new Error(`${error instanceof Error ? error.message.slice(0, 200) : String(error)}\nstatuses:\n${await allStatuses()}\n${shot.path}`);
    });
    assert.notEqual(left.frameId, right.frameId);
    assert.deepEqual(vscode.window.tabGroups.all.filter((g) => g.tabs.some((t) => t.label.includes('side-'))).length, 2, 'two editor groups, one per model');

    // First change in the base: the MaxPool whose kernel changed; the other pane follows.
    await webviews.click(left, '[data-action="diff-next"]');
    await graphView(`[data-side="base"][data-selected=${JSON.stringify(changed)}]`);
    await graphView(`[data-side="other"][data-selected=${JSON.stringify(changed)}]`);
    // Next change from the other pane; the base pane follows to the same node.
    await webviews.click(right, '[data-action="diff-next"]');
    const next = await graphView('[data-side="other"][data-selected-diff="changed"]:not([data-selected="' + changed + '"])');
    const moved = (await status(next)).selected!;
    await graphView(`[data-side="base"][data-selected=${JSON.stringify(moved)}]`);
    const shot = await webviews.screenshot('graph-side-by-side');
    await testLog(`graph side by side: ${shot.path} (${moved})`);

    // Zooming the base pane: the other pane centres the counterpart of the base's centre node at the same zoom.
    const before = await status(right);
    await webviews.evaluate(
      left,
      () => {
        const canvas = (globalThis as unknown as { document: { querySelector(s: string): { dispatchEvent(e: unknown): boolean } } }).document.querySelector('canvas.graph');
        const KeyboardEventClass = (globalThis as unknown as { KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown }).KeyboardEvent;
        canvas.dispatchEvent(new KeyboardEventClass('keydown', { key: '+', bubbles: true }));
      },
      null,
    );
    const zoomed = await status(await graphView(`[data-side="base"]:not([data-scale="${before.scale ?? ''}"])`));
    const followed = await status(await graphView(`[data-side="other"][data-scale="${zoomed.scale ?? ''}"]`));
    assert.equal(followed.centre, zoomed.centre, 'the other pane is centred on the counterpart of the base pane centre node');
    assert.equal(followed.selected, moved, 'moving the camera selects nothing new');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The merged diff's "Side by side" button opens the same two panes.
    await vscode.commands.executeCommand('aios.compareModels', a, [a, b]);
    const merged = await graphView('[data-mode="diff"][data-side=""][data-state="shown"]');
    await webviews.click(merged, '[data-action="side-by-side"]');
    await Promise.all([graphView('[data-side="base"][data-state="shown"]'), graphView('[data-side="other"][data-state="shown"]')]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
