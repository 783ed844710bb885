import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { testLog } from '../bridge/client';
import { extensionId, workspaceRoot } from './util/extension';
import { webviews, type WebviewHandle } from './util/webviewBridge';

/* Browser-side code is sent as source text (no DOM types in this tsconfig). */
interface PageDocument {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelector(selector: string): { dispatchEvent(event: unknown): void } | null;
  body: { dataset: Record<string, string | undefined> };
}
type Page = typeof globalThis & { document: PageDocument; KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown };

const title = 'graph-state.onnx';

/** The graph view of this test's file (its title is in the toolbar) whose status matches `statusSelector`. */
function stateView(statusSelector: string, timeoutMs = 30_000): Promise<WebviewHandle> {
  return webviews.waitFor({ extensionId, text: title, selector: `#graph-status${statusSelector}` }, timeoutMs);
}

async function status(view: WebviewHandle): Promise<Record<string, string | undefined>> {
  return webviews.evaluate(view, () => ({ ...((globalThis as Page).document.getElementById('graph-status')?.dataset ?? {}) }), null);
}

/** Presses keys on the canvas as the keyboard would (the canvas handles its own keydown). */
async function pressOnCanvas(view: WebviewHandle, keys: string[]): Promise<void> {
  await webviews.evaluate(
    view,
    (list: string[]) => {
      const page = globalThis as Page;
      const canvas = page.document.querySelector('canvas.graph')!;
      for (const key of list) canvas.dispatchEvent(new page.KeyboardEvent('keydown', { key, bubbles: true }));
    },
    keys,
  );
}

/** What must come back: camera, selection, expanded groups, overlay and search. */
function viewOf(s: Record<string, string | undefined>) {
  return { camera: s.camera, selected: s.selected, expandedGroups: s.expandedGroups, visibleItems: s.visibleItems, overlay: s.overlay, searchCount: s.searchCount };
}

describe('graph view state in VS Code', function () {
  this.timeout(120_000);
  const model = cnnClassifier({ seed: 3 });
  let uri: vscode.Uri;
  let other: vscode.Uri;

  before(async () => {
    uri = vscode.Uri.joinPath(workspaceRoot(), 'models-it', title);
    other = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'graph-state-other.txt');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await writeModelFile(model, uri.fsPath);
    await vscode.workspace.fs.writeFile(other, new TextEncoder().encode('another editor\n'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps zoom, selection, expanded groups, overlay and search when the tab is hidden and shown again, and when the closed editor is reopened', async () => {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    let view = await stateView('[data-state="shown"][data-layout="final"]');
    const initial = await status(view);
    // Collapse everything, then search a node deep in a scope: its groups open and it is selected.
    const target = model.graph.nodes.find((n) => n.opType === 'Relu')!.name;
    await pressOnCanvas(view, ['_']);
    await stateView('[data-layout="final"][data-expanded-groups="0"]');
    await webviews.type(view, 'vscode-textfield.search input', `${target}\n`);
    await stateView(`[data-selected=${JSON.stringify(target)}][data-layout="final"]`);
    await pressOnCanvas(view, ['+', '+', 'ArrowLeft']);
    await webviews.evaluate(
      view,
      () => {
        const page = globalThis as Page;
        const select = page.document.querySelector('.toolbar vscode-single-select.overlay') as unknown as { value: string; dispatchEvent(e: unknown): void };
        select.value = 'flops';
        select.dispatchEvent(new (globalThis as unknown as { Event: new (type: string) => unknown }).Event('change'));
      },
      null,
    );
    view = await stateView('[data-overlay="flops"][data-view-saved="true"]');
    const before = viewOf(await status(view));
    assert.notEqual(before.camera, initial.camera, 'the test zoomed');
    assert.notEqual(before.expandedGroups, initial.expandedGroups, 'the test changed which groups are open');
    assert.equal(before.selected, target);
    await webviews.evaluate(view, () => void ((globalThis as Page).document.body.dataset.page = 'first'), null);

    // Another editor in the same group hides the graph: VS Code destroys its webview.
    await vscode.window.showTextDocument(other, { preview: false });
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    view = await stateView('[data-state="shown"][data-layout="final"]');
    assert.equal(await webviews.evaluate(view, () => (globalThis as Page).document.body.dataset.page ?? 'new', null), 'new', 'the webview was recreated, not kept');
    assert.deepEqual(viewOf(await status(view)), before, 'after hiding and showing the tab');
    const shot = await webviews.screenshot('graph-state-restored', view);
    await testLog(`graph state restored: ${shot.path}`);

    // Closing the editor and reopening it from history goes through VS Code's editor serialization.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.reopenClosedEditor');
    view = await stateView('[data-state="shown"][data-layout="final"]');
    assert.deepEqual(viewOf(await status(view)), before, 'after closing and reopening the editor');
  });
});
