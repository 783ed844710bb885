/**
 * The loopback HTTP protocol between the integration runner (Node, owns Playwright and the
 * terminal) and the tests running inside the VS Code extension host. The host finds the
 * runner through the environment variables below, which the runner sets on code-server.
 */

export const bridgeUrlEnv = 'AIOS_TEST_BRIDGE_URL';
export const bridgeTokenEnv = 'AIOS_TEST_BRIDGE_TOKEN';
/** Header carrying the per-run token, so only our own session can drive the browser. */
export const bridgeTokenHeader = 'x-aios-bridge-token';

/** Identifies one webview's content document (the inner iframe of a VS Code webview). */
export interface WebviewHandle {
  readonly frameId: string;
  readonly url: string;
  /** The `extensionId` query parameter VS Code puts on the webview host frame. */
  readonly extensionId: string | undefined;
  readonly title: string;
}

/** Which webview to wait for; every given field must match. */
export interface WebviewMatch {
  /** e.g. `aios.aios-workbench`. */
  readonly extensionId?: string;
  /** Text that must occur in the document's `body.innerText`. */
  readonly text?: string;
  /** A CSS selector that must match an element of the document. */
  readonly selector?: string;
}

export interface FrameInfo {
  readonly url: string;
  readonly name: string;
  /** 0 = the workbench page; webview content documents sit at depth 2. */
  readonly depth: number;
  readonly webview: WebviewHandle | undefined;
}

export type TestEvent =
  | { readonly kind: 'hello'; readonly session: string; readonly vscodeVersion: string; readonly appName: string }
  | { readonly kind: 'begin'; readonly title: string }
  | { readonly kind: 'pass'; readonly title: string; readonly durationMs: number }
  | { readonly kind: 'fail'; readonly title: string; readonly durationMs: number; readonly error: string }
  | { readonly kind: 'pending'; readonly title: string }
  | { readonly kind: 'log'; readonly level: 'log' | 'info' | 'warn' | 'error'; readonly text: string }
  | { readonly kind: 'end'; readonly passed: number; readonly failed: number; readonly pending: number };

/** What the workbench's quick input (quick pick or input box) shows, read from its DOM. */
export interface QuickInputState {
  readonly visible: boolean;
  readonly title: string;
  /** The text in the input (the filter of a quick pick, the value of an input box). */
  readonly value: string;
  readonly placeholder: string;
  /** The validation or hint message under the input ('' when none). */
  readonly message: string;
  /** Whether the message is shown as an error (VS Code marks the input box invalid). */
  readonly invalid: boolean;
  /** How many rows the list holds, rendered or not (its aria-setsize); 0 without a list. */
  readonly total: number;
  /** Where the keyboard focus is: the input, the list, elsewhere in the widget, or outside it. */
  readonly focus: 'input' | 'list' | 'widget' | 'outside';
  /** The rows the list renders (a long list renders only those in view). */
  readonly items: readonly QuickInputItem[];
}

export interface QuickInputItem {
  readonly label: string;
  readonly description: string;
  /** Multi-select rows only; undefined for single-select. */
  readonly checked: boolean | undefined;
  /** The row the keyboard is on. */
  readonly focused: boolean;
}

/** When `waitForQuickInput` resolves; every given field must hold. */
export interface QuickInputMatch {
  readonly visible: boolean;
  /** Text the title must contain. */
  readonly title?: string;
  /** Exact value of the input. */
  readonly value?: string;
  /** Text the message must contain. */
  readonly message?: string;
  /** Label of the row that must have the keyboard focus. */
  readonly focused?: string;
  /** Labels of the rows that must be checked, exactly (multi-select). */
  readonly checked?: readonly string[];
  /** Number of rows rendered. */
  readonly itemCount?: number;
  /** Number of rows in the list, rendered or not. */
  readonly total?: number;
}

/** Requests and the result type each one answers with. */
export interface BridgeOps {
  testEvent: { request: { event: TestEvent }; result: null };
  frames: { request: Record<string, never>; result: FrameInfo[] };
  waitForWebview: { request: { match: WebviewMatch; timeoutMs: number }; result: WebviewHandle };
  waitForSelector: { request: { frameId: string; selector: string; timeoutMs: number }; result: null };
  text: { request: { frameId: string; selector: string }; result: string };
  attribute: { request: { frameId: string; selector: string; name: string }; result: string | null };
  click: { request: { frameId: string; selector: string }; result: null };
  type: { request: { frameId: string; selector: string; text: string }; result: null };
  evaluate: { request: { frameId: string; functionSource: string; arg: unknown }; result: unknown };
  screenshot: { request: { frameId?: string; name: string }; result: { path: string; bytes: number } };
  /** Keys pressed on the workbench page, in order (Playwright names: 'Enter', 'ArrowDown', 'Space', 'Escape'). */
  workbenchPress: { request: { keys: readonly string[] }; result: null };
  /** Text typed key by key into whatever has the focus in the workbench page. */
  workbenchType: { request: { text: string }; result: null };
  /** Waits until the quick input matches, then returns what it shows. */
  waitForQuickInput: { request: { match: QuickInputMatch; timeoutMs: number }; result: QuickInputState };
}

export type BridgeOp = keyof BridgeOps;

export type BridgeRequest = { [K in BridgeOp]: { op: K } & BridgeOps[K]['request'] }[BridgeOp];

export type BridgeResponse<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: string };
