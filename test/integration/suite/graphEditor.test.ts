import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { absModelPath, requireTestData } from './util/testData';
import { extensionId, workspaceRoot } from './util/extension';
import { testLog } from '../bridge/client';
import { webviews } from './util/webviewBridge';

describe('graph custom editor', () => {
  // Asserts only that the editor's webview appears and renders: the placeholder will be
  // replaced by the real graph view, which has its own tests.
  it('opens an .onnx file as aios.graph and shows its webview', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models-it', 'abs.onnx');
    await vscode.workspace.fs.writeFile(uri, readFileSync(requireTestData(absModelPath)));

    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is not a custom editor');
    assert.equal(input.viewType, 'aios.graph');
    assert.equal(input.uri.toString(), uri.toString());

    const webview = await webviews.waitFor({ extensionId, selector: 'body' });
    const readyState = await webviews.evaluate(webview, () => (globalThis as unknown as { document: { readyState: string } }).document.readyState, null);
    assert.equal(readyState, 'complete');
    const shot = await webviews.screenshot('graph-editor', webview);
    assert.ok(shot.bytes > 0, `empty screenshot at ${shot.path}`);
    await testLog(`graph editor webview screenshot: ${shot.path} (${shot.bytes} bytes)`);
  });
});
