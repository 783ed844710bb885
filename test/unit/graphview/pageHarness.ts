import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { nodeFileSystem } from '../../../src/core/fs';
import { collectWeightStats, exportGraphPage, loadGraphAssets } from '../../../src/core/graphview/exportModel';
import type { Model } from '../../../src/core/onnx/model';
import type { GraphPayload } from '../../../src/protocol/graphPayload';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** Exported pages in a temporary folder, built from the real dist/webviews bundles. */
export class PageFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'aios-graph-page-'));

  /** `webviewsDir`: where graph.js and graph.layout.worker.js are (default: this build's dist/webviews). */
  constructor(private readonly webviewsDir = resolve('dist/webviews')) {}

  async write(name: string, payload: GraphPayload, model?: Model): Promise<string> {
    const assets = await loadGraphAssets(nodeFileSystem, this.webviewsDir);
    const weights = model ? await collectWeightStats(model, payload) : {};
    const path = join(this.dir, `${name}.html`);
    writeFileSync(path, exportGraphPage(payload, weights, assets));
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface OpenedPage {
  readonly page: Page;
  /** Every request the page made that is not the page file itself. */
  readonly requests: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

/** Opens a page, records requests, errors and dialogs, and waits for the first frame. */
export async function openPage(browser: Browser, path: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const url = `file://${path}`;
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  await waitInPage(page, 'document.body.dataset.ready === "true"', 30_000);
  return { page, requests, errors, dialogs };
}

export type Status = Record<string, string | undefined>;

/**
 * Waits, frame by frame, until `condition` (page-side source text) holds. Playwright's
 * waitForFunction compiles its predicate with eval, which the page's CSP rightly forbids.
 */
export async function waitInPage(page: Page, condition: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${condition}`)), timeoutMs);
  });
  try {
    await Promise.race([page.evaluate(`new Promise((resolve) => { const check = () => ((${condition}) ? resolve(true) : requestAnimationFrame(check)); check(); })`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Browser-side code is passed as source text: this project's Node tsconfig has no DOM types.
export function status(page: Page): Promise<Status> {
  return page.evaluate<Status>('({ ...document.getElementById("graph-status").dataset })');
}

/** Waits until every open group has its final (dagre) layout. */
export async function waitForLayout(page: Page): Promise<void> {
  await waitInPage(page, 'document.getElementById("graph-status").dataset.layout === "final"', 60_000);
}

/** Colour of the canvas pixel at the centre of the selected node, as drawn. */
export async function selectedPixel(page: Page): Promise<string> {
  const rect = (await status(page)).selectedRect;
  if (!rect) throw new Error('nothing is selected');
  const [x, y, w, h] = rect.split(',').map(Number) as [number, number, number, number];
  const cx = x + w * 0.6;
  const cy = y + h * 0.5;
  return page.evaluate<string>(`(() => {
    const canvas = document.querySelector('canvas.graph');
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const d = canvas.getContext('2d').getImageData(Math.round((${cx} - box.left) * scale), Math.round((${cy} - box.top) * scale), 1, 1).data;
    return 'rgb(' + d[0] + ',' + d[1] + ',' + d[2] + ')';
  })()`);
}

/** Picks an overlay in the toolbar's vscode-single-select as a user's choice would (value, then change). */
export async function chooseOverlay(page: Page, id: string): Promise<void> {
  await page.evaluate(`(() => {
    const select = document.querySelector('.toolbar vscode-single-select.overlay');
    select.value = ${JSON.stringify(id)};
    select.dispatchEvent(new Event('change'));
  })()`);
}

/** Types a query into the search box and steps to the first match (Enter). */
export async function searchAndSelect(page: Page, query: string): Promise<void> {
  await page.fill('vscode-textfield.search input', query);
  await page.press('vscode-textfield.search input', 'Enter');
  await waitInPage(page, 'Boolean(document.getElementById("graph-status").dataset.selectedRect)', 30_000);
  await waitForLayout(page);
  await nextFrames(page);
}

/** Two animation frames, so reads see what the last state change drew. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/**
 * The hooks every Chromium page suite needs, registered on the calling mocha suite: one
 * browser for the suite, exported pages in a temporary folder, and no page errors after
 * each test. `open` loads a page and tracks it for that check.
 */
export function pageSuite(): { readonly files: PageFiles; open(path: string, options?: { colorScheme?: 'light' | 'dark' }): Promise<OpenedPage> } {
  let browser: Browser | undefined;
  const files = new PageFiles();
  const opened: OpenedPage[] = [];
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    files.dispose();
  });
  afterEach(() => {
    for (const o of opened) assert.deepEqual(o.errors, [], 'page errors');
    opened.length = 0;
  });
  return {
    files,
    async open(path, options = {}) {
      if (!browser) throw new Error('pageSuite: the browser is not started (call open inside a test)');
      const o = await openPage(browser, path, options);
      opened.push(o);
      return o;
    },
  };
}
