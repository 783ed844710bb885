import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { testLog } from '../bridge/client';
import { workspaceRoot } from './util/extension';
import { changeGraphView, graphStatus, graphViewWith, markPage, pageMark, viewOf } from './util/graphState';
import { webviews } from './util/webviewBridge';

const title = 'graph-state.onnx';

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
    const { view: changedView, changed: before } = await changeGraphView(title, model, uri);
    await markPage(changedView, 'first');

    // Another editor in the same group hides the graph: VS Code destroys its webview.
    await vscode.window.showTextDocument(other, { preview: false });
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    let view = await graphViewWith(title, '[data-state="shown"][data-layout="final"]');
    assert.equal(await pageMark(view), 'new', 'the webview was recreated, not kept');
    assert.deepEqual(viewOf(await graphStatus(view)), before, 'after hiding and showing the tab');
    const shot = await webviews.screenshot('graph-state-restored', view);
    await testLog(`graph state restored: ${shot.path}`);

    // Closing the editor and reopening it from history goes through VS Code's editor serialization.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.reopenClosedEditor');
    view = await graphViewWith(title, '[data-state="shown"][data-layout="final"]');
    assert.deepEqual(viewOf(await graphStatus(view)), before, 'after closing and reopening the editor');
  });
});
