import { callBridge } from '../../bridge/client';
import type { FrameInfo, WebviewHandle, WebviewMatch } from '../../bridge/protocol';

export type { WebviewHandle, WebviewMatch } from '../../bridge/protocol';

/**
 * Webview access for suites. Tests run in the extension host, but webview documents live in
 * the browser; the integration runner reaches them with Playwright and answers over HTTP.
 */
export const webviews = {
  /** Every frame of the workbench page, with webview content documents marked. */
  frames(): Promise<FrameInfo[]> {
    return callBridge('frames', {});
  },

  /** Waits until a webview content document matches every field of `match`. */
  waitFor(match: WebviewMatch, timeoutMs = 15_000): Promise<WebviewHandle> {
    return callBridge('waitForWebview', { match, timeoutMs });
  },

  async waitForSelector(webview: WebviewHandle, selector: string, timeoutMs = 15_000): Promise<void> {
    await callBridge('waitForSelector', { frameId: webview.frameId, selector, timeoutMs });
  },

  /** `textContent` of the first element matching `selector`. */
  text(webview: WebviewHandle, selector: string): Promise<string> {
    return callBridge('text', { frameId: webview.frameId, selector });
  },

  attribute(webview: WebviewHandle, selector: string, name: string): Promise<string | null> {
    return callBridge('attribute', { frameId: webview.frameId, selector, name });
  },

  async click(webview: WebviewHandle, selector: string): Promise<void> {
    await callBridge('click', { frameId: webview.frameId, selector });
  },

  /** Types like a user, key by key, into the first element matching `selector`. */
  async type(webview: WebviewHandle, selector: string, text: string): Promise<void> {
    await callBridge('type', { frameId: webview.frameId, selector, text });
  },

  /**
   * Runs `fn(arg)` inside the webview document and returns its JSON-serialisable result.
   * `fn` is sent as source text: it cannot close over anything from the test.
   */
  async evaluate<A, R>(webview: WebviewHandle, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return (await callBridge('evaluate', { frameId: webview.frameId, functionSource: fn.toString(), arg })) as R;
  },

  /** Saves a PNG into test-results/ (the webview only, or the whole window without one). */
  screenshot(name: string, webview?: WebviewHandle): Promise<{ path: string; bytes: number }> {
    return callBridge('screenshot', { name, ...(webview ? { frameId: webview.frameId } : {}) });
  },
};
