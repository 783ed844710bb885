import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testLog } from '../bridge/client';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { openSampleSource } from '../../../src/core/runtime/samples';
import { fakeQdq } from '../../unit/quantdiff/fakeQdq';
import { aiosExtension, extensionId, workspaceRoot } from './util/extension';
import { webviews } from './util/webviewBridge';

describe('quantization diff in VS Code', function () {
  this.timeout(180_000);

  it('a quantdiff task, then AIOS: Show Quantization Diff shows its rows; a row reveals its node in the graph view', async () => {
    const api = (await aiosExtension().activate()) ?? aiosExtension().exports;
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'models-it');
    await vscode.workspace.fs.createDirectory(dir);
    const model = cnnClassifier({ seed: 2, inputShape: [1, 3, 32, 32], stages: [8, 16], classes: 10 });
    const fp32 = vscode.Uri.joinPath(dir, 'qd-cnn.onnx');
    await writeModelFile(model, fp32.fsPath);
    await writeModelFile(await fakeQdq(model, await openSampleSource('synthetic', model.graph, { samples: 2 })), vscode.Uri.joinPath(dir, 'qd-cnn.int8.onnx').fsPath);

    const job = api.tasks.service.enqueue({ kind: 'quantdiff', inputs: { fp32: 'models-it/qd-cnn.onnx', quant: 'models-it/qd-cnn.int8.onnx', samples: 2 } }, 'quantdiff qd-cnn');
    const outcome = await job.done;
    assert.equal(outcome.status, 'succeeded', outcome.error);
    const tensors = (outcome.summary as { tensors: Array<{ name: string; node: string }> }).tensors;

    const runId = await vscode.commands.executeCommand<string>('aios.showQuantDiff');
    assert.equal(runId, outcome.runId, 'the newest diff is shown');
    const view = await webviews.waitFor({ extensionId, selector: 'body[data-ready="true"] vscode-table[data-table="tensors"] vscode-table-row' }, 60_000);
    const rows = await webviews.evaluate(view, () => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('vscode-table[data-table="tensors"] vscode-table-row').length, null);
    assert.equal(rows, tensors.length);
    const shot = await webviews.screenshot('quantdiff-view', view);
    await testLog(`quantization diff view: ${shot.path}`);

    const conv = tensors.find((t) => t.node.endsWith('/Conv'))!;
    await webviews.click(view, `vscode-table-row[data-tensor="${conv.name}"]`);
    const graph = await webviews.waitFor({ extensionId, selector: `#graph-status[data-title="qd-cnn.onnx"][data-selected="${conv.node}"]` }, 60_000);
    assert.ok(graph);
    assert.equal(api.graph.provider.panelsFor(fp32).length, 1);
  });
});
