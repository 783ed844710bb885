import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testLog } from '../bridge/client';
import { aiosExtension, workspaceRoot } from './util/extension';

describe('commands', () => {
  it('aios.validate runs on a sample use case and returns without throwing', async () => {
    await aiosExtension().activate();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'adas', 'front-camera-perception.usecase.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const result: unknown = await vscode.commands.executeCommand('aios.validate', uri);
    await testLog(`aios.validate returned ${JSON.stringify(result) ?? 'undefined'}`);
    assert.ok((await vscode.commands.getCommands(true)).includes('aios.validate'));
  });
});
