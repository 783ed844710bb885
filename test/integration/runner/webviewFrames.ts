import type { Frame, Page } from 'playwright-core';
import type { FrameInfo, WebviewHandle, WebviewMatch } from '../bridge/protocol';

/**
 * VS Code renders a webview as an iframe (the webview host, `.../webview/browser/pre/index.html`)
 * that holds the extension's document in a nested iframe with the id `active-frame`. Both show up
 * in `page.frames()`; the nested one is what tests want to read.
 */
export class WebviewFrames {
  private readonly ids = new WeakMap<Frame, string>();
  private readonly frames = new Map<string, Frame>();
  private next = 1;

  constructor(private readonly page: Page) {}

  private idOf(frame: Frame): string {
    let id = this.ids.get(frame);
    if (!id) {
      id = `f${this.next++}`;
      this.ids.set(frame, id);
      this.frames.set(id, frame);
    }
    return id;
  }

  get(frameId: string): Frame {
    const frame = this.frames.get(frameId);
    if (!frame || frame.isDetached()) throw new Error(`webview frame ${frameId} is gone (the webview was closed or reloaded); wait for it again`);
    return frame;
  }

  private async handle(frame: Frame): Promise<WebviewHandle | undefined> {
    const host = frame.parentFrame();
    if (!host || !isWebviewHost(host.url())) return undefined;
    // The content frame is created as `pending-frame` and renamed (its id) once loaded;
    // Playwright keeps reporting the first name, so ask the element.
    if ((await (await frame.frameElement()).getAttribute('id')) !== 'active-frame') return undefined;
    const title = await frame.title().catch(() => '');
    return { frameId: this.idOf(frame), url: frame.url(), extensionId: new URL(host.url()).searchParams.get('extensionId') ?? undefined, title };
  }

  async list(): Promise<FrameInfo[]> {
    const infos: FrameInfo[] = [];
    for (const frame of this.page.frames()) {
      let depth = 0;
      for (let p = frame.parentFrame(); p; p = p.parentFrame()) depth++;
      infos.push({ url: frame.url(), name: frame.name(), depth, webview: await this.handle(frame) });
    }
    return infos;
  }

  private async matches(frame: Frame, handle: WebviewHandle, match: WebviewMatch): Promise<boolean> {
    if (match.extensionId !== undefined && handle.extensionId?.toLowerCase() !== match.extensionId.toLowerCase()) return false;
    if (match.selector !== undefined && (await frame.locator(match.selector).count()) === 0) return false;
    if (match.text !== undefined) {
      const text = await frame.locator('body').innerText({ timeout: 1000 });
      if (!text.includes(match.text)) return false;
    }
    return true;
  }

  /** Polls the page's frames until a webview content document matches. */
  async waitFor(match: WebviewMatch, timeoutMs: number): Promise<WebviewHandle> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        try {
          const handle = await this.handle(frame);
          if (handle && (await this.matches(frame, handle, match))) return handle;
        } catch {
          // The frame navigated or went away while we looked; try the next one.
        }
      }
      if (Date.now() > deadline) {
        const frames = await this.list();
        const seen = frames.filter((f) => f.webview).map((f) => `${f.webview?.extensionId ?? '?'} "${f.webview?.title ?? ''}"`);
        const all = frames.map((f) => `${'  '.repeat(f.depth)}${f.name || '(unnamed)'} ${f.url.slice(0, 160)}`).join('\n');
        throw new Error(`no webview matched ${JSON.stringify(match)} within ${timeoutMs} ms; webviews present: ${seen.join(', ') || 'none'}; frames:\n${all}`);
      }
      await this.page.waitForTimeout(100);
    }
  }
}

function isWebviewHost(url: string): boolean {
  return /\/webview\/browser\/pre\/index\.html/.test(url);
}
