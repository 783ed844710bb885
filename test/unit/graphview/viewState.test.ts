import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import type { GraphPayload } from '../../../src/protocol/graphPayload';
import { graphViewToHostSchema, hostToGraphViewSchema } from '../../../src/protocol/graphMessages';
import { graphViewStateSchema, type GraphViewState } from '../../../src/protocol/graphViewState';
import { launchChromium, PageFiles, searchAndSelect, status, waitForLayout, waitInPage } from './pageHarness';

/**
 * The graph app as in a VS Code webview, in Chromium: a stand-in for acquireVsCodeApi keeps
 * what the app saves with setState and hands it to the next page through getState, the way
 * VS Code does when it destroys a hidden webview and creates it again.
 */
async function openAsWebview(browser: Browser, path: string, payload: GraphPayload, saved: unknown, hostState?: unknown): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(`(() => {
    window.__posted = [];
    window.__state = ${JSON.stringify(saved ?? null)};
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  })()`);
  await page.goto(`file://${path}`);
  await waitInPage(page, 'window.__posted.some((m) => m.type === "ready")', 30_000);
  await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'init', payload, weightsAvailable: false, ...(hostState ? { viewState: hostState } : {}) })}, '*')`);
  await waitInPage(page, 'document.body.dataset.ready === "true"', 30_000);
  await waitForLayout(page);
  return { page, errors };
}

async function pressOnCanvas(page: Page, keys: string[]): Promise<void> {
  await page.evaluate(`(() => {
    const canvas = document.querySelector('canvas.graph');
    for (const key of ${JSON.stringify(keys)}) canvas.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  })()`);
}

function viewOf(s: Record<string, string | undefined>) {
  return { camera: s.camera, selected: s.selected, expandedGroups: s.expandedGroups, visibleItems: s.visibleItems, searchCount: s.searchCount };
}

describe('graph view state (setState/getState) in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  const files = new PageFiles();
  const model = cnnClassifier({ seed: 2 });
  const target = model.graph.nodes.find((n) => n.opType === 'Relu')!.name;
  let payload: GraphPayload;
  let path: string;
  /** What the first page saved after the user changed the view, and its status then. */
  let saved: GraphViewState;
  let shown: ReturnType<typeof viewOf>;

  before(async () => {
    browser = await launchChromium();
    payload = await buildModelPayload(model, { title: 'state.onnx' });
    path = await files.write('state', payload);
    const { page, errors } = await openAsWebview(browser, path, payload, undefined);
    const initial = viewOf(await status(page));
    await pressOnCanvas(page, ['_']);
    await waitInPage(page, 'document.getElementById("graph-status").dataset.expandedGroups === "0"', 30_000);
    await searchAndSelect(page, target);
    await pressOnCanvas(page, ['+', '+', 'ArrowRight']);
    await waitInPage(page, 'document.getElementById("graph-status").dataset.viewSaved === "true"', 30_000);
    shown = viewOf(await status(page));
    saved = graphViewStateSchema.parse(await page.evaluate('window.__state'));
    const posted = (await page.evaluate<unknown[]>('window.__posted')).map((m) => graphViewToHostSchema.parse(m));
    const shared = posted.filter((m) => m.type === 'viewState').pop();
    assert.deepEqual(shared && 'state' in shared ? shared.state : undefined, saved, 'the host is told the same state');
    assert.notEqual(shown.camera, initial.camera);
    assert.notEqual(shown.expandedGroups, initial.expandedGroups);
    assert.deepEqual(errors, []);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    files.dispose();
  });

  it('saves graph, camera, selection, open groups and search text', () => {
    assert.equal(saved.graph, payload.graphs[0]!.id);
    assert.deepEqual(saved.selected, { kind: 'node', name: target });
    assert.equal(saved.search, target);
    const scopes = target.split('/').slice(1, -1).map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);
    assert.deepEqual([...saved.expanded].sort(), scopes.sort(), 'exactly the groups around the found node are open');
    assert.equal(shown.camera, [saved.camera.scale, saved.camera.tx, saved.camera.ty].map((v) => v.toFixed(3)).join(','));
  });

  it('a new page of the same webview shows the view again from getState', async () => {
    const { page, errors } = await openAsWebview(browser, path, payload, saved);
    assert.deepEqual(viewOf(await status(page)), shown);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('without a state of its own, the page restores the state the host sends with init', async () => {
    const { page, errors } = await openAsWebview(browser, path, payload, undefined, saved);
    assert.deepEqual(viewOf(await status(page)), shown);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('ignores a malformed saved state (says so to the host) and keeps what still matches a changed model', async () => {
    const fresh = await openAsWebview(browser, path, payload, undefined);
    const defaults = viewOf(await status(fresh.page));
    await fresh.page.close();
    const bad = await openAsWebview(browser, path, payload, { version: 99, camera: 'x' });
    assert.deepEqual(viewOf(await status(bad.page)), defaults, 'opens as if nothing was saved');
    const posted = await bad.page.evaluate<Array<{ type: string; message?: string }>>('window.__posted');
    assert.ok(posted.some((m) => m.type === 'error' && m.message === 'ignored the saved view state'));
    await bad.page.close();
    const stale = await openAsWebview(browser, path, payload, { ...saved, selected: { kind: 'node', name: 'gone' }, expanded: [...saved.expanded, '/no/such/scope'], graph: 'no-such-graph' });
    const s = viewOf(await status(stale.page));
    assert.equal(s.selected, undefined, 'a node the model no longer has is not selected');
    assert.equal(s.expandedGroups, shown.expandedGroups, 'the groups that still exist open again');
    assert.equal(s.camera, shown.camera);
    assert.deepEqual([...bad.errors, ...stale.errors], []);
    await stale.page.close();
  });

  it('the protocol accepts a saved state in init and as a viewState message, and rejects a bad one', () => {
    assert.ok(hostToGraphViewSchema.safeParse({ type: 'init', payload, weightsAvailable: true, viewState: saved }).success);
    assert.ok(graphViewToHostSchema.safeParse({ type: 'viewState', state: saved }).success);
    assert.equal(graphViewToHostSchema.safeParse({ type: 'viewState', state: { ...saved, camera: { scale: 0, tx: 0, ty: 0 } } }).success, false, 'zero zoom');
    assert.equal(graphViewToHostSchema.safeParse({ type: 'viewState', state: { ...saved, camera: { ...saved.camera, tx: Number.NaN } } }).success, false, 'NaN pan');
  });
});
