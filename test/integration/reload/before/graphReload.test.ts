import * as vscode from 'vscode';
import { cnnClassifier } from '../../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../../src/core/onnx/write';
import { workspaceRoot } from '../../suite/util/extension';
import { changeGraphView } from '../../suite/util/graphState';
import { writeReloadRecord } from '../state';

export const reloadTitle = 'graph-reload.onnx';

describe('graph view before a window reload', function () {
  this.timeout(120_000);

  it('opens a graph, changes zoom, selection, groups and overlay, and records them', async () => {
    const model = cnnClassifier({ seed: 5 });
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models-it', reloadTitle);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await writeModelFile(model, uri.fsPath);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aios.graph');
    const { changed } = await changeGraphView(reloadTitle, model, uri);
    writeReloadRecord({ uri: uri.toString(), title: reloadTitle, state: changed });
  });
});
