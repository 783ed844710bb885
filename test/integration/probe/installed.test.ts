import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import type { AiosExtensionApi } from '../../../src/extension/extension';
import { testLog } from '../bridge/client';
import { probeEnv, requireEnv } from './probeEnv';

const extensionId = 'aios.aios-workbench';
const absModel = '/usr/share/libonnx-testdata/data/node/test_abs/model.onnx';

interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
interface OrtModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(path: string): Promise<{ inputNames: string[]; outputNames: string[]; run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>; release(): Promise<void> }>;
  };
}

function installed(): vscode.Extension<AiosExtensionApi> {
  const extension = vscode.extensions.getExtension<AiosExtensionApi>(extensionId);
  assert.ok(extension, `${extensionId} is not installed in this window`);
  return extension;
}

describe('installed .vsix', () => {
  it('is the copy installed from the .vsix, not the repository', () => {
    const extension = installed();
    const extensionsDir = requireEnv(probeEnv.extensionsDir);
    assert.ok(extension.extensionPath.startsWith(extensionsDir + sep), `${extension.extensionPath} is not under ${extensionsDir}`);
    const repo = JSON.parse(readFileSync(join(requireEnv(probeEnv.repoRoot), 'package.json'), 'utf8')) as { version: string };
    assert.equal((extension.packageJSON as { version: string }).version, repo.version);
    assert.equal(existsSync(join(extension.extensionPath, 'src')), false, 'sources were packaged');
  });

  it('activates, and registers every command of its manifest', async () => {
    const extension = installed();
    assert.equal(extension.isActive, false, 'already active before anything asked for it');
    // Loading the bundle is synchronous, so timing it alone is not disturbed by whatever else
    // the extension host is busy with; activate() then reuses the cached module.
    const mainPath = join(extension.extensionPath, (extension.packageJSON as { main: string }).main);
    const loadStarted = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(mainPath);
    const loadMs = performance.now() - loadStarted;
    const started = performance.now();
    const api = await extension.activate();
    const wallMs = performance.now() - started;
    await testLog(
      `activation (installed .vsix, cold): loading ${(extension.packageJSON as { main: string }).main} ${loadMs.toFixed(1)} ms; ` +
        `then extension.activate() ${wallMs.toFixed(1)} ms wall, of which activate() body ${api.activationMs.toFixed(1)} ms (api.activationMs); ` +
        `goal < 150 ms for load + activate`,
    );
    const declared = ((extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands ?? []).map((c) => c.command);
    assert.deepEqual([...api.commandIds].sort(), [...declared].sort());
  });

  it('runs aios.validate on a clean use case and returns no errors, as many diagnostics as it published', async () => {
    await installed().activate();
    const document = await vscode.workspace.openTextDocument({ language: 'aios-usecase', content: 'apiVersion: aios/v1\nkind: UseCase\nname: probe-clean\ndomain: cockpit\nmodel:\n  path: models/probe.onnx\n' });
    const result = await vscode.commands.executeCommand<{ errors: number; diagnostics: number }>('aios.validate', document.uri);
    await testLog(`aios.validate (installed) returned ${JSON.stringify(result)}`);
    assert.equal(result.errors, 0, JSON.stringify(vscode.languages.getDiagnostics(document.uri).map((d) => d.message)));
    assert.equal(result.diagnostics, vscode.languages.getDiagnostics(document.uri).length);
  });

  it('validates a use case in its packaged validation worker (dist/workers/validation.js)', async () => {
    const api = await installed().activate();
    assert.ok(existsSync(join(installed().extensionPath, 'dist', 'workers', 'validation.js')), 'the worker bundle is packaged');
    const document = await vscode.workspace.openTextDocument({ language: 'aios-usecase', content: 'apiVersion: aios/v1\nkind: UseCase\nname: probe\ndomain: cockpt\n' });
    const result = await vscode.commands.executeCommand<{ errors: number }>('aios.validate', document.uri);
    const codes = vscode.languages.getDiagnostics(document.uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    assert.ok(codes.includes('AIOS203'), `the bad domain is reported; got ${codes.join(', ')}`);
    assert.ok(result.errors > 0);
    assert.ok(api.useCaseStats.workerValidations > 0, 'the validation ran in the worker');
  });

  it('ships onnxruntime-node for linux-x64 only, and it runs a model inside the extension host', async () => {
    const root = join(installed().extensionPath, 'node_modules', 'onnxruntime-node');
    const platforms = readdirSync(join(root, 'bin', 'napi-v6')).flatMap((os) => readdirSync(join(root, 'bin', 'napi-v6', os)).map((arch) => `${os}/${arch}`));
    assert.deepEqual(platforms, ['linux/x64']);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require(root) as OrtModule;
    const session = await ort.InferenceSession.create(absModel);
    const input = Float32Array.from({ length: 60 }, (_, i) => i - 30);
    const outputs = await session.run({ [session.inputNames[0] ?? 'x']: new ort.Tensor('float32', input, [3, 4, 5]) });
    const y = outputs[session.outputNames[0] ?? 'y'];
    assert.ok(y, 'no output');
    assert.deepEqual([...y.data], [...input].map(Math.abs));
    await session.release();
  });
});
