import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { aiosExtension, manifestIds } from './util/extension';

/** Commands the workbench derives from each contributed view, e.g. `aios.targets.focus`. */
const viewCommandSuffixes = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];

function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

describe('manifest', () => {
  it('declares exactly the command ids the extension registers', async () => {
    const extension = aiosExtension();
    const api = await extension.activate();
    assert.deepEqual(sorted(api.commandIds), sorted(manifestIds(extension).commands));
  });

  it('declares exactly the view ids the extension registers', async () => {
    const extension = aiosExtension();
    const api = await extension.activate();
    assert.deepEqual(sorted(api.viewIds), sorted(manifestIds(extension).views));
  });

  it('matches the aios.* commands VS Code knows, in both directions', async () => {
    const extension = aiosExtension();
    await extension.activate();
    const { commands, views } = manifestIds(extension);
    const derived = new Set(views.flatMap((view) => viewCommandSuffixes.map((suffix) => `${view}.${suffix}`)));
    const known = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('aios.') && !derived.has(id));
    assert.deepEqual(sorted(new Set(known)), sorted(commands));
  });

  it('never activates on "*"', () => {
    const events = (aiosExtension().packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*'), `activationEvents: ${events.join(', ')}`);
  });
});
