import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testLog } from '../bridge/client';
import { aiosExtension, waitUntil, workspaceRoot } from './util/extension';

// Runs first (host/runMocha.ts loads this file before the others): it needs a window in which
// nothing has activated AIOS yet.
describe('activation', () => {
  it('activates when a samples .usecase.yaml is opened (language aios-usecase)', async () => {
    const extension = aiosExtension();
    assert.equal(extension.isActive, false, 'AIOS was already active before any use-case file was opened: check activationEvents (never "*")');

    const started = performance.now();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'cockpit', 'driver-monitoring.usecase.yaml'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'aios-usecase');
    await waitUntil('the extension is active', () => extension.isActive);
    const openToActiveMs = performance.now() - started;

    const api = extension.exports;
    assert.ok(api, 'activate() returned no API');
    assert.equal(typeof api.activationMs, 'number');
    await testLog(
      `activation (extension under development): activate() body ${api.activationMs.toFixed(1)} ms (api.activationMs); ` +
        `${openToActiveMs.toFixed(0)} ms from opening the file to isActive, module load included; goal < 150 ms`,
    );
  });
});
