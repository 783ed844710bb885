import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { aiosExtension, workspaceRoot } from './util/extension';

describe('commands', () => {
  it('aios.validate on a sample use case returns the counts it published to the Problems panel', async () => {
    await aiosExtension().activate();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'adas', 'front-camera-perception.usecase.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const result = await vscode.commands.executeCommand<{ file: string; diagnostics: number; errors: number; warnings: number }>('aios.validate', uri);
    const published = vscode.languages.getDiagnostics(uri);
    assert.equal(result.file, uri.fsPath);
    assert.equal(result.errors, 0, `the sample is valid: ${published.map((d) => d.message).join('; ')}`);
    assert.equal(result.diagnostics, published.length);
    assert.equal(result.warnings, published.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length);
  });

  it('aios.validate with no file and no editor says what to open and returns nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await vscode.commands.executeCommand('aios.validate'), undefined);
  });

  it('aios.inspectModel says why when the model is missing', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'cockpit', 'inspect-missing.usecase.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('apiVersion: aios/v1\nkind: UseCase\nname: inspect-missing\ndomain: cockpit\nmodel:\n  path: models/none.onnx\n'));
    const result = await vscode.commands.executeCommand<{ problem?: string }>('aios.inspectModel', uri);
    assert.equal(result.problem, 'inspect-missing.usecase.yaml: model models/none.onnx not found; fix model.path or add the file.');
    await vscode.workspace.fs.delete(uri);
  });
});
