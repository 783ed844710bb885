import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { domains } from '../../../src/core/usecase/schema';
import { activated, fileUri, waitForCodes, writeFile } from './usecaseHelpers';
import { quickInput } from './util/quickInput';

interface NewUseCaseResult {
  uri: vscode.Uri;
  text: string;
}

/** Runs the command the way the palette does: no answers, so every step is a quick input. */
function startInteractive(): Thenable<NewUseCaseResult | undefined> {
  return vscode.commands.executeCommand<NewUseCaseResult | undefined>('aios.newUseCase');
}

async function useCaseFiles(): Promise<string[]> {
  return (await vscode.workspace.findFiles('**/*.usecase.yaml')).map((uri) => vscode.workspace.asRelativePath(uri, false)).sort();
}

/** Clears the input (filter or value) and types `text`, like select-all and typing over it. */
async function retype(text: string): Promise<void> {
  await quickInput.press('Control+A', 'Backspace');
  await quickInput.type(text);
}

describe('AIOS: New Use Case… through its quick inputs (keys typed into the workbench)', () => {
  const written: vscode.Uri[] = [];

  before(async () => {
    await activated();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('domain, name (refused while invalid, taken or an existing file), model, two targets: writes a file that opens and validates clean', async () => {
    const parked = await writeFile('adas/parked-draft.usecase.yaml', '');
    written.push(parked);
    const before = await useCaseFiles();
    const running = startInteractive();

    // 1/4: the five domains, the first focused; the arrow key moves to adas.
    const step1 = await quickInput.waitFor({ visible: true, title: '(1/4)' });
    assert.deepEqual(step1.items.map((i) => i.label), [...domains]);
    await quickInput.press('ArrowDown');
    await quickInput.waitFor({ visible: true, title: '(1/4)', focused: 'adas' });
    await quickInput.press('Enter');

    // 2/4: the name is checked as it is typed; Enter on a refused name stays on this step.
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: '' });
    await quickInput.type('Lane Centering');
    const invalid = await quickInput.waitFor({ visible: true, title: '(2/4)', message: 'single hyphens' });
    assert.equal(invalid.invalid, true, 'the input box is marked as an error');
    await quickInput.press('Enter');
    await retype('driver-monitoring');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'driver-monitoring', message: "already named 'driver-monitoring'" });
    await quickInput.press('Enter');
    await retype('parked-draft');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'parked-draft', message: 'adas/parked-draft.usecase.yaml already exists' });
    await quickInput.press('Enter');
    await retype('lane-centering');
    const valid = await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'lane-centering', message: 'Lower-case letters, digits and hyphens' });
    assert.equal(valid.invalid, false);
    await quickInput.press('Enter');

    // 3/4: every model of the workspace, the domain's own first and focused, "None yet" last.
    const step3 = await quickInput.waitFor({ visible: true, title: '(3/4)' });
    const labels = step3.items.map((i) => i.label);
    assert.equal(step3.items.find((i) => i.focused)?.label, 'adas/models/detector.onnx');
    for (const model of ['cockpit/models/dms.onnx', 'body/models/occupancy-transformer.onnx', 'powertrain/models/battery-soh-lstm.onnx']) assert.ok(labels.includes(model), `${model} in ${labels.join(', ')}`);
    assert.equal(labels.at(-1), 'None yet');
    await quickInput.press('Enter');

    // 4/4: multi-select, nothing checked; filter, arrow onto the row, Space checks it.
    const step4 = await quickInput.waitFor({ visible: true, title: '(4/4)' });
    assert.ok(step4.items.length > 3 && step4.items.every((i) => i.checked === false), 'rows with unchecked boxes');
    await quickInput.type('snapdragon'); // matches the descriptions, not the ids
    const filtered = await quickInput.waitFor({ visible: true, title: '(4/4)', itemCount: 2 });
    assert.deepEqual(filtered.items.map((i) => i.label).sort(), ['qualcomm-sa8295p', 'qualcomm-sa8650p']);
    const second = filtered.items[1]?.label ?? '';
    await quickInput.press('ArrowDown', 'ArrowDown');
    await quickInput.waitFor({ visible: true, title: '(4/4)', focused: second });
    await quickInput.press('Space');
    await quickInput.waitFor({ visible: true, title: '(4/4)', checked: [second] });
    await quickInput.press('ArrowUp', 'Space');
    await quickInput.waitFor({ visible: true, title: '(4/4)', value: 'snapdragon', checked: ['qualcomm-sa8295p', 'qualcomm-sa8650p'] });
    await quickInput.press('Enter');

    const result = await running;
    await quickInput.waitFor({ visible: false });
    assert.ok(result, 'the command returned the new file');
    written.push(result.uri);
    assert.equal(result.uri.fsPath, fileUri('adas/lane-centering.usecase.yaml').fsPath, 'written into the domain folder');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(result.uri)), result.text, 'the file on disk is the text returned');
    assert.match(result.text, /^name: lane-centering$/m);
    assert.match(result.text, /^domain: adas$/m);
    assert.match(result.text, /^ {2}path: models\/detector\.onnx$/m);
    assert.match(result.text, /^ {2}- soc: qualcomm-sa8295p\n {2}- soc: qualcomm-sa8650p$/m);
    assert.deepEqual(await useCaseFiles(), [...before, 'adas/lane-centering.usecase.yaml'].sort(), 'exactly one new file; parked-draft untouched');
    assert.equal((await vscode.workspace.fs.stat(parked)).size, 0, 'the existing file was not overwritten');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.uri.fsPath, 'the new file is open in the editor');
    await waitForCodes(result.uri, []);
  });

  it('Back (Ctrl+Alt+-, the key of the Back button) returns to the step before and keeps what was typed', async () => {
    const before = await useCaseFiles();
    const running = startInteractive();
    const first = await quickInput.waitFor({ visible: true, title: '(1/4)' });
    assert.equal(first.items[0]?.label, 'cockpit');
    await quickInput.press('Enter');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: '' });
    await quickInput.type('went-back');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'went-back', message: 'Lower-case letters' });
    await quickInput.press('Control+Alt+Minus');
    await quickInput.waitFor({ visible: true, title: '(1/4)' });
    await quickInput.type('body');
    await quickInput.waitFor({ visible: true, title: '(1/4)', focused: 'body', itemCount: 1 });
    await quickInput.press('Enter');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'went-back' });
    await quickInput.press('Enter');
    await quickInput.waitFor({ visible: true, title: '(3/4)' });
    await quickInput.press('Control+Alt+Minus');
    await quickInput.waitFor({ visible: true, title: '(2/4)', value: 'went-back' });
    await quickInput.press('Escape');
    assert.equal(await running, undefined);
    await quickInput.waitFor({ visible: false });
    assert.deepEqual(await useCaseFiles(), before);
  });

  for (const step of [1, 2, 3, 4]) {
    it(`Escape at step ${step}/4 closes the quick input, returns nothing and writes nothing`, async () => {
      const before = await useCaseFiles();
      const running = startInteractive();
      await quickInput.waitFor({ visible: true, title: '(1/4)' });
      if (step > 1) {
        await quickInput.type('body');
        await quickInput.waitFor({ visible: true, title: '(1/4)', focused: 'body', itemCount: 1 });
        await quickInput.press('Enter');
        await quickInput.waitFor({ visible: true, title: '(2/4)', value: '' });
        await quickInput.type(`escaped-at-${step}`);
        await quickInput.waitFor({ visible: true, title: '(2/4)', value: `escaped-at-${step}`, message: 'Lower-case letters' });
      }
      if (step > 2) {
        await quickInput.press('Enter');
        await quickInput.waitFor({ visible: true, title: '(3/4)' });
      }
      if (step > 3) {
        await quickInput.press('Enter');
        const first = (await quickInput.waitFor({ visible: true, title: '(4/4)' })).items[0]?.label ?? '';
        await quickInput.press('ArrowDown', 'Space');
        await quickInput.waitFor({ visible: true, title: '(4/4)', checked: [first] });
      }
      await quickInput.press('Escape');
      assert.equal(await running, undefined);
      await quickInput.waitFor({ visible: false });
      assert.deepEqual(await useCaseFiles(), before);
    });
  }
});
