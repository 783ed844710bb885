import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TargetTreeNode } from '../../../src/extension/views/targetsView';
import { activated, codesOf, fileUri, waitForCodes, writeFile } from './usecaseHelpers';

interface NewUseCaseResult {
  uri: vscode.Uri;
  text: string;
}

describe('use-case commands and the SoC Targets view', () => {
  before(async () => {
    await activated();
  });

  it('AIOS: New Use Case… with answers writes a file that validates with no diagnostics, and opens it', async () => {
    const result = await vscode.commands.executeCommand<NewUseCaseResult>('aios.newUseCase', {
      domain: 'adas',
      name: 'lane-keeping',
      model: 'adas/models/detector.onnx',
      targets: ['qualcomm-sa8650p', 'ti-tda4vm'],
    });
    assert.ok(result, 'the command returned the new file');
    assert.equal(result.uri.fsPath, fileUri('adas/lane-keeping.usecase.yaml').fsPath, 'written into the domain folder');
    assert.match(result.text, /path: models\/detector\.onnx/);
    assert.match(result.text, /- soc: qualcomm-sa8650p\n {2}- soc: ti-tda4vm|soc: qualcomm-sa8650p[\s\S]*soc: ti-tda4vm/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.uri.fsPath, 'the new file is open');
    await waitForCodes(result.uri, []);
    const validated = await vscode.commands.executeCommand<{ diagnostics: number }>('aios.validate', result.uri);
    assert.equal(validated.diagnostics, 0);
  });

  it('without a model, the only problem is the model file still to be added', async () => {
    const result = await vscode.commands.executeCommand<NewUseCaseResult>('aios.newUseCase', { domain: 'body', name: 'seat-heating', model: null, targets: [] });
    assert.ok(result);
    await waitForCodes(result.uri, ['AIOS301']);
  });

  it('refuses a name already used in the workspace and writes nothing', async () => {
    const result = await vscode.commands.executeCommand<NewUseCaseResult | undefined>('aios.newUseCase', { domain: 'cockpit', name: 'driver-monitoring', model: null, targets: [], folder: fileUri('refused').fsPath });
    assert.equal(result, undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(fileUri('refused/driver-monitoring.usecase.yaml'))));
  });

  it('the SoC Targets view lists the catalog by vendor, engines with peak figures; refresh picks up workspace targets', async () => {
    const api = await activated();
    assert.ok(api.viewIds.has('aios.targets'));
    const tree = api.targetsTree;
    const vendors = await tree.getChildren();
    const labels = vendors.map((v) => tree.getTreeItem(v).label);
    for (const vendor of ['NVIDIA', 'Qualcomm', 'Texas Instruments', 'host']) assert.ok(labels.includes(vendor), `vendor ${vendor} in ${labels.join(', ')}`);
    const qualcomm = vendors.find((v) => tree.getTreeItem(v).label === 'Qualcomm') as TargetTreeNode;
    const targets = await tree.getChildren(qualcomm);
    assert.deepEqual(targets.map((t) => tree.getTreeItem(t).label).sort(), ['qualcomm-sa8295p', 'qualcomm-sa8650p']);
    const sa8295 = targets.find((t) => tree.getTreeItem(t).label === 'qualcomm-sa8295p') as TargetTreeNode;
    const tooltip = tree.getTreeItem(sa8295).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString && /datasheet: https:/.test(tooltip.value), 'tooltip with sources');
    const engines = (await tree.getChildren(sa8295)).map((n) => tree.getTreeItem(n));
    const npu = engines.find((e) => String(e.label).startsWith('npu'));
    assert.equal(npu?.description, 'fp16 7.5 TFLOPS · int8 30 TOPS');

    const before = (await Promise.all(vendors.map((v) => tree.getChildren(v)))).flat().length;
    await writeFile('.aios/targets/view-test.soc.yaml', `apiVersion: aios/v1
kind: SocTarget
id: zeta-view-1
name: Zeta View One
vendor: Zeta
engines:
  - id: dsp
    kind: dsp
    precisions:
      int8: {peak: {value: 2TOPS, source: {kind: measurement, ref: bench run 7}}}
memories:
  - id: dram
    kind: dram
    size: {value: 2GiB, source: {kind: estimate, note: eval board}}
    bandwidth: {value: 10GB/s, source: {kind: estimate, note: eval board}}
power:
  static: {value: 0.5W, source: {kind: estimate, note: eval board}}
  sustained: {value: 5W, source: {kind: estimate, note: eval board}}
`);
    const count = await vscode.commands.executeCommand<number>('aios.targets.refresh');
    assert.ok(count >= before + 1, `refresh counts ${count} targets, ${before} before`);
    const zeta = (await tree.getChildren()).find((v) => tree.getTreeItem(v).label === 'Zeta');
    assert.ok(zeta, 'the workspace target shows under its vendor');
    const [target] = await tree.getChildren(zeta);
    assert.ok(target);
    assert.equal(tree.getTreeItem(target).label, 'zeta-view-1');
    const [dsp] = await tree.getChildren(target);
    assert.ok(dsp);
    assert.equal(tree.getTreeItem(dsp).description, 'int8 2 TOPS');
    assert.deepEqual(codesOf(fileUri('.aios/targets/view-test.soc.yaml')), [], 'not open: no diagnostics published for it');
  });
});
