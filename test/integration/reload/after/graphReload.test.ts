import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testLog } from '../../bridge/client';
import { graphStatus, graphViewWith, viewOf } from '../../suite/util/graphState';
import { webviews } from '../../suite/util/webviewBridge';
import { readReloadRecord } from '../state';

describe('graph view after a window reload', function () {
  this.timeout(120_000);

  it('comes back with the zoom, selection, expanded groups, overlay and search it had before the reload', async () => {
    const record = readReloadRecord();
    // Nothing reopens it: the reloaded window restores its editors, ours included.
    const view = await graphViewWith(record.title, '[data-state="shown"][data-layout="final"]', 90_000);
    assert.deepEqual(viewOf(await graphStatus(view)), record.state);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === record.uri);
    assert.ok(tab, 'the restored tab is our custom editor on the same file');
    const shot = await webviews.screenshot('graph-state-after-reload', view);
    await testLog(`graph state after a window reload: ${shot.path}`);
  });
});
