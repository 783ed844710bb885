import type * as z from 'zod/mini';
import { parseMessage } from '../../src/protocol/graphMessages';

/** How a webview app talks to whoever hosts it: the VS Code extension, or the page of an HTML export. */
export interface HostLink<Out> {
  readonly kind: 'vscode' | 'static';
  post(message: Out): void;
  /** Raw incoming data; validate it with `receiveValidated`. */
  listen(handler: (data: unknown) => void): void;
  /** Where the view keeps its state across hiding, reloads and reopening (VS Code only). */
  readonly state?: StateStore;
}

/** `vscode.getState/setState`: survives the webview being destroyed when hidden and window reloads. */
export interface StateStore {
  /** The last saved state, unvalidated (validate before use). */
  get(): unknown;
  set(state: unknown): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The VS Code webview link, or undefined outside VS Code (an exported page). acquireVsCodeApi may be called once per page. */
export function vscodeHostLink<Out>(): HostLink<Out> | undefined {
  if (typeof acquireVsCodeApi !== 'function') return undefined;
  const api = acquireVsCodeApi();
  return {
    kind: 'vscode',
    post: (message) => api.postMessage(message),
    listen: (handler) => window.addEventListener('message', (event: MessageEvent) => handler(event.data)),
    state: { get: () => api.getState(), set: (state) => api.setState(state) },
  };
}

/** Wraps a handler so it only ever sees messages that match `schema`; the rest go to `onMalformed` with the reason. */
export function receiveValidated<T>(schema: z.ZodMiniType<T>, handle: (message: T) => void, onMalformed: (reason: string) => void): (data: unknown) => void {
  return (data) => {
    const parsed = parseMessage(schema, data);
    if (parsed.ok) handle(parsed.message);
    else onMalformed(parsed.reason);
  };
}

/** Base64 text (inert page data) to bytes. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
