import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { capabilityById, isAvailable } from '../../../src/core/capabilities/table';
import { isFinished, type RunRecord } from '../../../src/core/tasks/runRecord';
import type { EnqueueResult, TasksApi } from '../../../src/extension/tasks/register';
import { testLog } from '../bridge/client';
import { activated, fileUri } from './usecaseHelpers';
import { aiosExtension, waitUntil } from './util/extension';
import { webviews } from './util/webviewBridge';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

const walkthroughId = 'gettingStarted';

function steps(): WalkthroughStep[] {
  const contributes = (aiosExtension().packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: WalkthroughStep[] }> } }).contributes;
  const walkthrough = contributes.walkthroughs.find((w) => w.id === walkthroughId);
  assert.ok(walkthrough, `package.json contributes the walkthrough ${walkthroughId}`);
  return walkthrough.steps;
}

/** The command a step's button runs: its `command:` link. */
function commandOf(step: WalkthroughStep): string {
  const match = /\]\(command:([\w.]+)\)/.exec(step.description);
  assert.ok(match, `step ${step.id} has a command link`);
  return match[1]!;
}

/** Resolves with the run's record once it has ended (checked on every change the task service reports). */
function ended(tasks: TasksApi, runId: string, timeoutMs = 240_000): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    const check = async () => {
      const record = (await tasks.service.history()).find((r) => r.id === runId);
      if (record && isFinished(record.status)) finish(record);
    };
    const finish = (record?: RunRecord, error?: Error) => {
      clearTimeout(timer);
      subscription.dispose();
      if (record) resolve(record);
      else reject(error);
    };
    const subscription = tasks.service.onDidChange(() => void check());
    const timer = setTimeout(() => finish(undefined, new Error(`run ${runId} did not end within ${timeoutMs} ms`)), timeoutMs);
    void check();
  });
}

const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

/** As after step 1: the sample in the second group, the walkthrough page active in the first (where a step's button is clicked). */
async function fromWalkthrough(sample: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(sample, { viewColumn: vscode.ViewColumn.Two, preview: false });
  await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${aiosExtension().id}#${walkthroughId}`, false);
  const state = () =>
    JSON.stringify({
      groups: vscode.window.tabGroups.all.map((g) => ({ active: g.isActive, tab: g.activeTab?.label })),
      activeEditor: vscode.window.activeTextEditor?.document.uri.path,
      visible: vscode.window.visibleTextEditors.map((e) => e.document.uri.path),
    });
  try {
    // The walkthrough is the active tab; activeTextEditor may still name the sample (the last text editor), which is why the commands also look at visible editors.
    await waitUntil('the walkthrough page is active', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active !== undefined && !(active.input instanceof vscode.TabInputText) && vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === sample.fsPath);
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${state()}`);
  }
}

/**
 * The getting-started walkthrough (issue #14 item 5): each step's button runs its command with
 * no argument, from the walkthrough page, in a window with no editor open; the test runs the same
 * commands the same way and checks what each one did.
 */
describe('getting-started walkthrough', function () {
  this.timeout(600_000);
  let tasks: TasksApi;
  const sample = () => fileUri('cockpit/driver-monitoring.usecase.yaml');

  before(async () => {
    tasks = (await activated()).tasks;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is contributed with a markdown page per step and a command link that exists', async () => {
    const list = steps();
    assert.deepEqual(list.map((s) => s.id), ['openSample', 'diagnostics', 'graph', 'quantize', 'profile', 'release']);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const step of list) {
      assert.ok(step.media.markdown && existsSync(join(aiosExtension().extensionPath, step.media.markdown)), `${step.id}: media ${step.media.markdown} exists`);
      assert.ok(commands.has(commandOf(step)), `${step.id}: ${commandOf(step)} is registered`);
      assert.deepEqual(step.completionEvents, [`onCommand:${commandOf(step)}`]);
    }
  });

  it('opens from the command palette in a window with no editor', async () => {
    const before = allTabs().length;
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${aiosExtension().id}#${walkthroughId}`, false);
    await waitUntil('the walkthrough tab is open', () => allTabs().length > before);
    const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';
    await testLog(`walkthrough tab: ${label}`);
    assert.equal(vscode.window.activeTextEditor, undefined, 'the walkthrough page is active, not a text editor');
    const shot = await webviews.screenshot('walkthrough');
    await testLog(`walkthrough: ${shot.path}`);
  });

  it('step 1 opens the driver-monitoring sample beside the walkthrough', async () => {
    const result = await vscode.commands.executeCommand<{ opened: string } | undefined>(commandOf(steps()[0]!));
    assert.equal(result?.opened, sample().fsPath);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === sample().fsPath), 'the sample is in view');
    assert.ok(allTabs().length >= 2, 'the walkthrough stays open beside it');
  });

  it('step 2 validates the use case in view and reports its diagnostics', async () => {
    await fromWalkthrough(sample());
    const result = await vscode.commands.executeCommand<{ file: string; diagnostics: number; errors: number } | undefined>(commandOf(steps()[1]!));
    assert.equal(result?.file, sample().fsPath, 'validated the sample, not nothing');
    assert.equal(result.errors, 0, 'the sample is valid');
    assert.equal(result.diagnostics, vscode.languages.getDiagnostics(sample()).length, 'the count is what the Problems panel lists');
  });

  it('step 3 opens the sample model in the graph view', async () => {
    await fromWalkthrough(sample());
    const result = await vscode.commands.executeCommand<{ opened: string } | undefined>(commandOf(steps()[2]!));
    assert.equal(result?.opened, fileUri('cockpit/models/dms.onnx').toString());
    await waitUntil('a graph editor is open', () => allTabs().some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'aios.graph' && t.input.uri.path.endsWith('/dms.onnx')), 30_000);
    const view = await webviews.waitFor({ extensionId: aiosExtension().id, selector: '#graph-status[data-title="dms.onnx"]' }, 60_000);
    const shot = await webviews.screenshot('walkthrough-graph', view);
    await testLog(`graph of the sample: ${shot.path}`);
  });

  for (const [index, kind] of [[3, 'quantize'], [4, 'profile'], [5, 'release']] as const) {
    it(`step ${index + 1} runs ${kind} on the sample as a task that succeeds`, async function () {
      if (!isAvailable(capabilityById(kind), 'editor')) {
        this.test!.title += ` [SKIPPED: ${kind} is not available in the editor in this version]`;
        this.skip();
      }
      await fromWalkthrough(sample());
      const result = await vscode.commands.executeCommand<EnqueueResult>(commandOf(steps()[index]!));
      assert.ok(result?.available, `queued: ${JSON.stringify(result)}`);
      const record = await ended(tasks, result.runId);
      assert.equal(record.kind, kind);
      assert.equal(record.status, 'succeeded', `${kind}: ${record.error ?? ''}`);
      assert.ok(record.inputs.some((i) => i.path === sample().fsPath), 'it ran on the sample');
      if (kind === 'profile') {
        // What the step's notification offers: the run in the profile view.
        await vscode.commands.executeCommand('aios.showProfile', result.runId);
        const view = await webviews.waitFor({ extensionId: aiosExtension().id, selector: 'body[data-ready="true"] table.layers tbody tr[data-node]' }, 60_000);
        const shot = await webviews.screenshot('profile-view', view);
        await testLog(`profile view: ${shot.path}`);
      }
      if (kind === 'release') {
        // The Releases view lists the release the step made.
        const api = await activated();
        const view = api.releases.view;
        const [local] = await view.getChildren();
        const repositories = local ? await view.getChildren(local) : [];
        assert.ok(repositories.some((r) => r.kind === 'repository' && r.repository === 'aios/driver-monitoring'), `the Releases view lists aios/driver-monitoring: ${JSON.stringify(repositories)}`);
      }
    });
  }
});
