import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bridgeTokenHeader, type BridgeRequest, type BridgeResponse, type TestEvent } from '../bridge/protocol';
import { waitForQuickInput } from './quickInput';
import { WebviewFrames } from './webviewFrames';

const maxBody = 1_000_000;

/**
 * The runner's side of the bridge: tests inside the extension host report their results here
 * and ask Playwright, which only the runner holds, to look into webviews.
 */
export class BridgeServer {
  readonly token = randomBytes(16).toString('hex');
  private server: Server | undefined;
  private webviews: WebviewFrames | undefined;
  private page: Page | undefined;
  url = '';

  constructor(
    private readonly screenshotDir: string,
    private readonly onTestEvent: (event: TestEvent) => void,
  ) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the bridge server has no TCP address');
    this.server = server;
    this.url = `http://127.0.0.1:${address.port}`;
  }

  /** The workbench page of the session now running (undefined between sessions). */
  attach(page: Page | undefined): void {
    this.page = page;
    this.webviews = page ? new WebviewFrames(page) : undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: BridgeResponse<unknown>;
    try {
      if (req.method !== 'POST' || req.url !== '/rpc') throw new Error(`unknown endpoint ${req.method} ${req.url}`);
      if (req.headers[bridgeTokenHeader] !== this.token) throw new Error('wrong or missing bridge token');
      const request = JSON.parse(await readBody(req)) as BridgeRequest;
      response = { ok: true, result: await this.dispatch(request) };
    } catch (error) {
      response = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response ?? null));
  }

  private requirePage(): Page {
    if (!this.page) throw new Error('no VS Code page is attached to the bridge right now');
    return this.page;
  }

  private requireWebviews(): WebviewFrames {
    if (!this.webviews) throw new Error('no VS Code page is attached to the bridge right now');
    return this.webviews;
  }

  private async dispatch(request: BridgeRequest): Promise<unknown> {
    switch (request.op) {
      case 'testEvent':
        this.onTestEvent(request.event);
        return null;
      case 'frames':
        return this.requireWebviews().list();
      case 'waitForWebview':
        return this.requireWebviews().waitFor(request.match, request.timeoutMs);
      case 'waitForSelector':
        await this.requireWebviews().get(request.frameId).waitForSelector(request.selector, { timeout: request.timeoutMs });
        return null;
      case 'text':
        return (await this.requireWebviews().get(request.frameId).locator(request.selector).first().textContent({ timeout: 5000 })) ?? '';
      case 'attribute':
        return this.requireWebviews().get(request.frameId).locator(request.selector).first().getAttribute(request.name, { timeout: 5000 });
      case 'click':
        await this.requireWebviews().get(request.frameId).locator(request.selector).first().click({ timeout: 5000 });
        return null;
      case 'type':
        await this.requireWebviews().get(request.frameId).locator(request.selector).first().pressSequentially(request.text, { timeout: 5000 });
        return null;
      case 'evaluate':
        return this.requireWebviews()
          .get(request.frameId)
          .evaluate(`(${request.functionSource})(${JSON.stringify(request.arg ?? null)})`);
      case 'screenshot':
        return this.screenshot(request.name, request.frameId);
      case 'workbenchPress':
        for (const key of request.keys) await this.requirePage().keyboard.press(key);
        return null;
      case 'workbenchType':
        await this.requirePage().keyboard.type(request.text);
        return null;
      case 'waitForQuickInput':
        return waitForQuickInput(this.requirePage(), request.match, request.timeoutMs);
    }
  }

  private async screenshot(name: string, frameId: string | undefined): Promise<{ path: string; bytes: number }> {
    if (!this.page) throw new Error('no VS Code page is attached to the bridge right now');
    mkdirSync(this.screenshotDir, { recursive: true });
    const path = join(this.screenshotDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
    if (frameId) {
      const element = await this.requireWebviews().get(frameId).frameElement();
      await element.screenshot({ path });
    } else {
      await this.page.screenshot({ path });
    }
    return { path, bytes: statSync(path).size };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > maxBody) reject(new Error('request body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
