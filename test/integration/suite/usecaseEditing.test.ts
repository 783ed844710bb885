import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, completionsAt, diagnosticWith, labelOf, openFile, positionOf, waitForCodes, waitForDiagnostics } from './usecaseHelpers';
import { aiosExtension, waitUntil } from './util/extension';

const base = `apiVersion: aios/v1
kind: UseCase
name: editing-sample
domain: cockpit
model:
  path: models/dms.onnx
  inputs: [{name: image, shape: [1, 1, 96, 96], dtype: float32}]
  outputs: [{name: gaze}]
quantization:
  precision: int8
targets:
  - soc: qualcomm-sa8295p
    engine: npu
    budgets: {latency: 8ms, fps: 30}
  - soc: ti-tda4vm
`;

/** Applies a code action's edit and returns it. */
async function apply(action: vscode.CodeAction | undefined): Promise<vscode.CodeAction> {
  assert.ok(action?.edit, 'code action with an edit');
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  return action;
}

async function fixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
}

describe('use-case editor features', () => {
  before(async () => {
    await activated();
  });

  describe('completion', () => {
    it('offers the keys missing at the root, with snippets for whole blocks', async () => {
      const document = await openFile('cockpit/complete-keys.usecase.yaml', `${base.replace('editing-sample', 'complete-keys')}\n`);
      const items = await completionsAt(document, new vscode.Position(document.lineCount - 1, 0));
      const labels = items.map(labelOf);
      for (const key of ['safety', 'calibration', 'deployment', 'release', 'dataLoop']) assert.ok(labels.includes(key), `${key} offered: ${labels.join(', ')}`);
      for (const present of ['apiVersion', 'model', 'targets']) assert.ok(!labels.includes(present), `${present} is already there`);
      const release = items.find((i) => labelOf(i) === 'release');
      assert.ok(release?.insertText instanceof vscode.SnippetString);
      assert.equal(release.insertText.value, 'release:\n  repository: $1\n  version: $2');
      assert.match(String((release.documentation as vscode.MarkdownString).value), /How the model is released/);
    });

    it('offers a whole targets item with the catalog ids as choices', async () => {
      const document = await openFile('cockpit/complete-targets.usecase.yaml', `apiVersion: aios/v1\nkind: UseCase\nname: complete-targets\ndomain: cockpit\nmodel:\n  path: models/dms.onnx\n\n`);
      const items = await completionsAt(document, new vscode.Position(6, 0));
      const targets = items.find((i) => labelOf(i) === 'targets');
      assert.ok(targets?.insertText instanceof vscode.SnippetString);
      assert.match(targets.insertText.value, /^targets:\n {2}- soc: \$\{1\|[^|]*qualcomm-sa8295p[^|]*\|\}\n {4}budgets:\n {6}latency: \$\{2:1ms\}$/);
    });

    it('offers target ids with their key figures, and the engines of the chosen target', async () => {
      const document = await openFile('cockpit/complete-soc.usecase.yaml', base.replace('editing-sample', 'complete-soc'));
      const socItems = await completionsAt(document, positionOf(document, '  - soc: '));
      const sa8295 = socItems.find((i) => labelOf(i) === 'qualcomm-sa8295p');
      assert.ok(sa8295, `ids: ${socItems.map(labelOf).join(', ')}`);
      // Vendor and key figures on the row itself (label description), the name as the detail.
      assert.match(typeof sa8295.label === 'string' ? '' : (sa8295.label.description ?? ''), /^Qualcomm · 30 TOPS int8 \(npu\) · 68 GB\/s DRAM/);
      assert.match(sa8295.detail ?? '', /Snapdragon/);
      assert.ok(socItems.filter((i) => labelOf(i).includes('-')).every((i) => typeof i.label !== 'string' && (i.label.description ?? '').length > 0), 'every target row shows its figures');
      assert.ok(socItems.some((i) => labelOf(i) === 'host-cpu'));
      const engines = (await completionsAt(document, positionOf(document, 'engine: '))).map(labelOf);
      assert.deepEqual([...engines].filter((e) => ['npu', 'gpu', 'cpu', 'dsp'].includes(e)).sort(), ['cpu', 'gpu', 'npu']);
    });

    it('offers enum values and units for quantities', async () => {
      const document = await openFile('cockpit/complete-values.usecase.yaml', base.replace('editing-sample', 'complete-values'));
      const precisions = (await completionsAt(document, positionOf(document, 'precision: '))).map(labelOf);
      for (const p of ['fp32', 'fp16', 'int8', 'int4-weight']) assert.ok(precisions.includes(p), precisions.join(', '));
      const units = (await completionsAt(document, positionOf(document, 'latency: 8'))).map(labelOf);
      for (const u of ['8us', '8ms', '8s']) assert.ok(units.includes(u), units.join(', '));
    });

    it("offers the model's real input and output names", async () => {
      const document = await openFile('cockpit/complete-names.usecase.yaml', base.replace('editing-sample', 'complete-names'));
      const inputs = (await completionsAt(document, positionOf(document, '{name: '))).map(labelOf);
      assert.ok(inputs.includes('image'), inputs.join(', '));
      const outputs = await completionsAt(document, positionOf(document, 'outputs: [{name: '));
      const gaze = outputs.find((i) => labelOf(i) === 'gaze');
      assert.ok(gaze, outputs.map(labelOf).join(', '));
      assert.match(gaze.detail ?? '', /output of models\/dms\.onnx/);
    });

    it('offers paths relative to the file: models, calibration folders, evidence files', async () => {
      const document = await openFile('cockpit/complete-paths.usecase.yaml', `${base.replace('editing-sample', 'complete-paths')}calibration:\n  data: \nsafety:\n  evidence:\n    - docs/\n`);
      const models = (await completionsAt(document, positionOf(document, '  path: '))).map(labelOf);
      assert.ok(models.includes('models/dms.onnx') && models.includes('models/assistant-llm.onnx'), models.join(', '));
      assert.ok(models.includes('../adas/models/detector.onnx'), 'models elsewhere in the workspace, relative to this file');
      const data = (await completionsAt(document, positionOf(document, '  data: '))).map(labelOf);
      assert.ok(data.includes('synthetic') && data.includes('models/') && data.includes('docs/'), data.join(', '));
      const evidence = (await completionsAt(document, positionOf(document, '    - docs/'))).map(labelOf);
      assert.ok(evidence.includes('docs/dms-dataset-card.md'), evidence.join(', '));
    });
  });

  describe('hover', () => {
    it('shows the schema doc of a key', async () => {
      const document = await openFile('cockpit/hover.usecase.yaml', base.replace('editing-sample', 'hover-sample'));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'precis', false));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /quantization\.precision/);
      assert.match(text, /Target numeric precision/);
    });

    it('shows the target figures with their sources on a soc value', async () => {
      const document = await openFile('cockpit/hover.usecase.yaml');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, '- soc: qualc'));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /Snapdragon Cockpit Platform Gen 4/);
      assert.match(text, /\| int8 \| 30 TOPS \| datasheet: https:/);
      assert.match(text, /targets\[0\]\.soc/);
    });
  });

  describe('quick fixes', () => {
    it('fix did-you-mean keys and values, unit-less numbers, unknown targets and wrong input names; preferred ones marked', async () => {
      const document = await openFile(
        'cockpit/fixes.usecase.yaml',
        base
          .replace('editing-sample', 'fixes-sample')
          .replace('quantization:', 'quantisation:')
          .replace('precision: int8', 'precision: int9')
          .replace('latency: 8ms', 'latency: 8')
          .replace('soc: ti-tda4vm', 'soc: ti-tda4v')
          .replace('{name: image,', '{name: imag,'),
      );
      // With 'imag' declared, the model's input image is undeclared, but it is the AIOS304 name fix: no separate AIOS325.
      await waitForCodes(document.uri, ['AIOS201', 'AIOS205', 'AIOS308', 'AIOS304']);
      // precision sits under an unknown key, so only the key is reported until it is fixed.
      for (const code of ['AIOS201', 'AIOS205', 'AIOS308', 'AIOS304']) {
        await waitForDiagnostics(document.uri, `${code} is reported`, (list) => list.some((d) => d.code === code));
        const diagnostic = diagnosticWith(document.uri, code);
        assert.ok(diagnostic, code);
        const actions = await fixesAt(document.uri, diagnostic.range);
        const preferred = actions.find((a) => a.isPreferred);
        assert.ok(preferred, `${code}: a preferred fix among ${actions.map((a) => a.title).join(' | ')}`);
        await apply(preferred);
        await waitForDiagnostics(document.uri, `${code} is fixed`, (list) => !list.some((d) => d.code === code && d.range.start.line === diagnostic.range.start.line));
      }
      const enumDiagnostic = (await waitForCodes(document.uri, ['AIOS203']))[0];
      assert.ok(enumDiagnostic);
      const enumFixes = await fixesAt(document.uri, enumDiagnostic.range);
      assert.equal(enumFixes.find((a) => a.isPreferred)?.title, "Change to 'int8'");
      await apply(enumFixes.find((a) => a.isPreferred));
      await waitForCodes(document.uri, []);
      const fixed = document.getText();
      assert.match(fixed, /^quantization:\n {2}precision: int8$/m);
      assert.match(fixed, /latency: 8ms/);
      assert.match(fixed, /soc: ti-tda4vm/);
      assert.match(fixed, /\{name: image,/);
    });

    it('adds a missing required key', async () => {
      const document = await openFile('cockpit/missing.usecase.yaml', 'apiVersion: aios/v1\nkind: UseCase\nname: missing-model\ndomain: cockpit\n');
      const [missing] = await waitForCodes(document.uri, ['AIOS207']);
      assert.ok(missing);
      const action = (await fixesAt(document.uri, missing.range)).find((a) => a.title === "Add 'model'");
      await apply(action);
      assert.match(document.getText(), /\nmodel:\n {2}path: ''/);
      await waitForCodes(document.uri, ['AIOS210']);
    });
  });

  describe('SoC target files', () => {
    it('complete keys and enum values, and show key docs, from the SoC schema', async () => {
      const document = await openFile('.aios/targets/editing-soc.soc.yaml', 'apiVersion: aios/v1\nkind: SocTarget\nid: editing-soc\nengines:\n  - id: npu\n    kind: \n');
      assert.equal(document.languageId, 'aios-soc');
      const kinds = (await completionsAt(document, positionOf(document, '    kind: '))).map(labelOf);
      for (const k of ['npu', 'gpu', 'dsp', 'cpu']) assert.ok(kinds.includes(k), kinds.join(', '));
      const keys = (await completionsAt(document, new vscode.Position(document.lineCount - 1, 0))).map(labelOf);
      for (const k of ['name', 'vendor', 'memories', 'power']) assert.ok(keys.includes(k), keys.join(', '));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'engin', false));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /Compute engines/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(document.uri);
    });
  });

  describe('outline, definition, code lenses', () => {
    it('document symbols follow the YAML structure with sensible kinds', async () => {
      const document = await openFile('cockpit/outline.usecase.yaml', base.replace('editing-sample', 'outline-sample'));
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      assert.deepEqual(symbols.map((s) => s.name), ['apiVersion', 'kind', 'name', 'domain', 'model', 'quantization', 'targets']);
      const targets = symbols.find((s) => s.name === 'targets');
      assert.equal(targets?.kind, vscode.SymbolKind.Array);
      assert.deepEqual(targets?.children.map((c) => c.name), ['qualcomm-sa8295p', 'ti-tda4vm']);
      assert.equal(symbols.find((s) => s.name === 'model')?.kind, vscode.SymbolKind.Module);
      assert.equal(symbols.find((s) => s.name === 'domain')?.kind, vscode.SymbolKind.EnumMember);
      assert.equal(targets?.range.start.line, 10);
    });

    it('go to definition on model.path points at the model, and opens it in the graph view', async () => {
      const document = await openFile('cockpit/definition.usecase.yaml', base.replace('editing-sample', 'definition-sample'));
      const position = positionOf(document, 'path: models/d');
      const links = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', document.uri, position);
      const target = links.map((l) => ('targetUri' in l ? l.targetUri : l.uri))[0];
      assert.ok(target, 'a definition');
      const modelPath = target.fsPath;
      assert.ok(modelPath.endsWith('/cockpit/models/dms.onnx'), modelPath);
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(position, position);
      const opened = new Promise<vscode.Tab>((resolve) => {
        const sub = vscode.window.tabGroups.onDidChangeTabs((e) => {
          const tab = [...e.opened, ...e.changed].find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === modelPath);
          if (tab) {
            sub.dispose();
            resolve(tab);
          }
        });
      });
      await vscode.commands.executeCommand('editor.action.revealDefinition');
      const tab = await opened;
      assert.equal((tab.input as vscode.TabInputCustom).viewType, 'aios.graph');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('code lenses: Validate, Inspect model, Quantize, Release on top and Profile on each target, wired to commands', async () => {
      const document = await openFile('cockpit/lenses.usecase.yaml', base.replace('editing-sample', 'lenses-sample'));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
      const byTitle = new Map(lenses.map((l) => [l.command?.title.replace(/^\$\([^)]*\)\s*/, '') ?? '', l]));
      assert.deepEqual([...byTitle.keys()].sort(), ['Inspect model', 'Profile on qualcomm-sa8295p', 'Profile on ti-tda4vm', 'Quantize', 'Release', 'Validate']);
      for (const title of ['Validate', 'Inspect model', 'Quantize', 'Release']) assert.equal(byTitle.get(title)?.range.start.line, 0, title);
      assert.equal(byTitle.get('Profile on qualcomm-sa8295p')?.range.start.line, 11);
      assert.equal(byTitle.get('Profile on ti-tda4vm')?.range.start.line, 14);
      const expected: Record<string, string> = { Validate: 'aios.validate', 'Inspect model': 'aios.inspectModel', Quantize: 'aios.quantize', Release: 'aios.release', 'Profile on ti-tda4vm': 'aios.profile' };
      const known = new Set(await vscode.commands.getCommands(true));
      for (const [title, id] of Object.entries(expected)) {
        const command = byTitle.get(title)?.command;
        assert.equal(command?.command, id, title);
        assert.ok(known.has(id), `${id} is registered`);
        assert.equal(String((command?.arguments?.[0] as vscode.Uri).toString()), document.uri.toString());
      }
      assert.equal(byTitle.get('Profile on ti-tda4vm')?.command?.arguments?.[1], 'ti-tda4vm');
      const validate = byTitle.get('Validate')?.command;
      const result = await vscode.commands.executeCommand<{ errors: number }>(validate?.command ?? '', ...(validate?.arguments ?? []));
      assert.equal(result.errors, 0);
      // No Profile lens on a target id the catalog does not know (it is flagged AIOS308 instead).
      const unknown = await openFile('cockpit/lenses-unknown.usecase.yaml', base.replace('editing-sample', 'lenses-unknown').replace('soc: qualcomm-sa8295p', 'soc: qualcom-sa8295'));
      const unknownTitles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', unknown.uri, 10)).map((l) => l.command?.title);
      assert.ok(unknownTitles.includes('Profile on ti-tda4vm') && !unknownTitles.some((t) => t?.includes('qualcom-sa8295')), unknownTitles.join(', '));
      // Inspect model opens the use case's model in the graph view.
      const inspect = byTitle.get('Inspect model')?.command;
      const inspected = await vscode.commands.executeCommand<{ opened?: string }>(inspect?.command ?? '', ...(inspect?.arguments ?? []));
      assert.ok(inspected.opened?.endsWith('/cockpit/models/dms.onnx'), JSON.stringify(inspected));
      await waitUntil('the model is open in the graph view', () =>
        vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'aios.graph' && t.input.uri.fsPath === inspected.opened)),
      );
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      // Quantize and Profile run as background tasks (run records of their kind); cancelled here, the quantize/profile suite runs them through.
      for (const [title, kind] of [['Quantize', 'quantize'], ['Profile on ti-tda4vm', 'profile']] as const) {
        const command = byTitle.get(title)?.command;
        const queued = await vscode.commands.executeCommand<{ available?: boolean; runId?: string }>(command?.command ?? '', ...(command?.arguments ?? []));
        assert.equal(queued.available, true, `${title}: ${JSON.stringify(queued)}`);
        const api = aiosExtension().exports;
        const record = (await api.tasks.service.history()).find((r) => r.id === queued.runId);
        assert.equal(record?.kind, kind, title);
        api.tasks.service.cancel(queued.runId ?? '');
      }
      // Release runs as a background task (a run record of kind release).
      const release = byTitle.get('Release')?.command;
      const queued = await vscode.commands.executeCommand<{ available?: boolean; runId?: string }>(release?.command ?? '', ...(release?.arguments ?? []));
      assert.equal(queued.available, true, JSON.stringify(queued));
      assert.match(queued.runId ?? '', /^\d{8}T/);
    });
  });
});
