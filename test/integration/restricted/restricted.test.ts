import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, completionsAt, fileUri, labelOf, openFile, positionOf, waitForDiagnostics } from '../suite/usecaseHelpers';
import { aiosExtension, waitUntil } from '../suite/util/extension';
import { quickInput } from '../suite/util/quickInput';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited' } };
  contributes: { commands: ManifestCommand[]; menus: { commandPalette: Array<{ command: string; when: string }> } };
}

const manifest = (): Manifest => aiosExtension().packageJSON as Manifest;

/** Commands the manifest shows in the palette only when the workspace is trusted. */
function trustedOnly(): Set<string> {
  return new Set(manifest().contributes.menus.commandPalette.filter((m) => m.when === 'isWorkspaceTrusted').map((m) => m.command));
}

const paletteLabel = (c: ManifestCommand): string => (c.category ? `${c.category}: ${c.title}` : c.title);

/** A use case with one schema error (did-you-mean key) and one semantic error read from the model (wrong input name). */
const broken = `apiVersion: aios/v1
kind: UseCase
name: restricted-check
domain: cockpit
model:
  path: models/dms.onnx
  inputs: [{name: imag}]
quantisation:
  precision: int8
targets:
  - soc: qualcomm-sa8295p
`;

describe('restricted (untrusted) workspace', () => {
  it('the folder opens untrusted, and AIOS activates on a use case (untrustedWorkspaces: limited)', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner starts this window with workspace trust on and a folder it never trusted');
    assert.equal(manifest().capabilities?.untrustedWorkspaces?.supported, 'limited');
    const extension = aiosExtension();
    assert.equal(extension.isActive, false, 'nothing activated AIOS before a use case was opened');
    await openFile('cockpit/driver-monitoring.usecase.yaml');
    await waitUntil('AIOS is active in restricted mode', () => extension.isActive);
  });

  it('diagnostics: schema and model-based semantic checks, as in a trusted workspace', async () => {
    await activated();
    const document = await openFile('cockpit/restricted-check.usecase.yaml', broken);
    const codes = (list: readonly vscode.Diagnostic[]): string[] => list.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    const diagnostics = await waitForDiagnostics(document.uri, 'AIOS201 (quantisation) and AIOS304 (input imag) are reported', (list) => codes(list).includes('AIOS201') && codes(list).includes('AIOS304'));
    assert.match(diagnostics.find((d) => codes([d])[0] === 'AIOS201')?.message ?? '', /did you mean 'quantization'/);
    assert.match(diagnostics.find((d) => codes([d])[0] === 'AIOS304')?.message ?? '', /its inputs: image/);
    const validated = await vscode.commands.executeCommand<{ diagnostics: number }>('aios.validate', document.uri);
    assert.ok(validated.diagnostics >= 2, `aios.validate runs and counts ${validated.diagnostics}`);
  });

  it('completion and hover work', async () => {
    const document = await openFile('cockpit/restricted-check.usecase.yaml');
    const keys = (await completionsAt(document, new vscode.Position(document.lineCount - 1, 0))).map(labelOf);
    assert.ok(keys.includes('release') && keys.includes('safety'), `root keys offered: ${keys.join(', ')}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, '- soc: qualc'));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Snapdragon Cockpit Platform Gen 4/);
  });

  it('code lenses: Validate and Inspect model stay, Quantize/Release/Profile give way to one that opens the trust editor', async () => {
    const document = await openFile('cockpit/driver-monitoring.usecase.yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    const commands = lenses.map((l) => l.command?.command);
    assert.ok(commands.includes('aios.validate') && commands.includes('aios.inspectModel'), `lenses: ${commands.join(', ')}`);
    for (const id of trustedOnly()) assert.ok(!commands.includes(id), `no ${id} lens in restricted mode: ${commands.join(', ')}`);
    const trust = lenses.find((l) => l.command?.command === 'workbench.trust.manage');
    assert.match(trust?.command?.title ?? '', /Restricted mode: trust this folder to quantize, profile and release/);
  });

  it('the command palette hides the commands that need trust and shows the other AIOS commands', async () => {
    const hidden = trustedOnly();
    assert.deepEqual([...hidden].sort(), ['aios.profile', 'aios.quantize', 'aios.release', 'aios.runPipeline']);
    const never = new Set(manifest().contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
    const aios = manifest().contributes.commands.filter((c) => c.category === 'AIOS');
    const shown = aios.filter((c) => !hidden.has(c.command) && !never.has(c.command)).map(paletteLabel);

    // The palette renders only the rows that fit, and there are more AIOS commands than that:
    // each command is looked for by its own label.
    const rowsFor = async (label: string): Promise<string[]> => {
      await vscode.commands.executeCommand('workbench.action.quickOpen', `>${label}`);
      const palette = await quickInput.waitFor({ visible: true, value: `>${label}` });
      await quickInput.press('Escape');
      await quickInput.waitFor({ visible: false });
      assert.equal(palette.items.length, palette.total, `every row of the palette filtered by '${label}' is rendered, so absence means absence`);
      return palette.items.map((i) => i.label);
    };
    for (const label of shown) assert.ok((await rowsFor(label)).includes(label), `'${label}' in the palette`);
    for (const c of aios.filter((c) => hidden.has(c.command))) {
      const rows = await rowsFor(paletteLabel(c));
      assert.ok(!rows.includes(paletteLabel(c)), `'${paletteLabel(c)}' is hidden in restricted mode: ${rows.join(', ')}`);
    }
  });

  it('the commands that need trust refuse in their handler when invoked anyway (code lens, keybinding), say why, and write nothing', async () => {
    const usecase = fileUri('cockpit/driver-monitoring.usecase.yaml');
    for (const id of trustedOnly()) {
      const result = await vscode.commands.executeCommand<{ refused?: string; message?: string } | undefined>(id, usecase);
      // 'untrusted', not 'not-available': the trust check comes first, whether or not the capability has landed.
      assert.equal(result?.refused, 'untrusted', `${id} returned ${JSON.stringify(result)}`);
      assert.match(result.message ?? '', /never does in a restricted workspace: trust this folder \(Manage Workspace Trust\) to use it\.$/, id);
    }
    for (const folder of ['.aios/runs', '.aios/registry']) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(fileUri(folder))), `${folder} was not created`);
    }
  });
  it('tasks: no aios task is offered, and the commands that queue or re-run tasks refuse, say why, and write no run', async () => {
    // vscode.tasks.fetchTasks itself asks for trust here (a dialog the test window refuses), so the provider is asked directly.
    const { tasks } = await activated();
    assert.deepEqual(await tasks.provider.provideTasks(), [], 'the aios task provider offers no task in restricted mode');
    const started = tasks.provider.start({ type: 'aios', kind: 'run', useCases: ['cockpit/driver-monitoring.usecase.yaml'] }, 'run from tasks.json');
    assert.match(typeof started === 'string' ? started : 'a job was queued', /restricted workspace/, 'a task started anyway (tasks.json) says why it does not run');
    const usecase = fileUri('cockpit/driver-monitoring.usecase.yaml');
    for (const [id, args] of [['aios.runPipeline', [usecase]], ['aios.runPipeline', []], ['aios.quantize', [usecase]], ['aios.runs.rerun', ['no-such-run']]] as const) {
      const result = await vscode.commands.executeCommand<unknown>(id, ...args);
      const text = JSON.stringify(result) ?? 'undefined';
      assert.ok(result === undefined || /trust|restricted/i.test(text), `${id} refuses: ${text}`);
      assert.ok(!/"available":true/.test(text), `${id} queued nothing: ${text}`);
    }
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(fileUri('.aios/runs'))), '.aios/runs was not created');
  });
});
