import * as vscode from 'vscode';
import type { GraphPayload, Overlay, WeightStats } from '../../protocol/graphPayload';
import type { GraphViewState } from '../../protocol/graphViewState';
import { graphViewToHostSchema, parseMessage, type GivenInputSizes, type HostToGraphView, type NodeRef, type ThemeKind } from '../../protocol/graphMessages';
import { resolveOverlay, type NamedOverlay } from '../../core/graphview/overlays';
import { Disposable } from '../util/dispose';
import { graphWebviewHtml } from './webviewHtml';

export interface GraphPanelSource {
  /** Produces the payload; called again on reload. */
  load(token: vscode.CancellationToken): Promise<GraphPayload>;
  weights(graph: number, tensor: string): Promise<WeightStats>;
  /** The payload recomputed for input sizes set in the view; absent where sizes cannot be set (diffs). */
  resize?(sizes: GivenInputSizes, token: vscode.CancellationToken): Promise<GraphPayload>;
  /** Opens the same two models side by side (merged diffs only). */
  sideBySide?(): void;
  /** Where the view's state is kept between editors of the same file (none for diff panels). */
  readonly viewState?: ViewStateMemory;
}

export interface ViewStateMemory {
  get(): GraphViewState | undefined;
  set(state: GraphViewState): void;
}

const readyTimeoutMs = 30_000;

function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

/**
 * Hosts the graph app in one webview panel: ready -> init handshake (repeated whenever the
 * webview reloads), zod validation of every message from the view, weight statistics on
 * request, reveal and overlay messages queued until the view can take them.
 */
export class GraphPanel extends Disposable {
  private payload: GraphPayload | undefined;
  private failure: string | undefined;
  private viewReady = false;
  private pendingReveal: NodeRef | undefined;
  private readonly overlays = new Map<string, Overlay>();
  private loading: vscode.CancellationTokenSource | undefined;
  private resizing: vscode.CancellationTokenSource | undefined;
  private readonly selections = this._register(new vscode.EventEmitter<{ graph: string; node: string | null }>());
  /** Fires when the user selects a node in the view (not when `follow` moved the selection). */
  readonly onDidSelect = this.selections.event;
  private readonly viewports = this._register(new vscode.EventEmitter<{ graph: string; node: string | null; scale: number }>());
  /** Fires when the user's pan or zoom settles: the node at the centre of the view and the zoom. */
  readonly onDidMoveViewport = this.viewports.event;
  /** Node `follow` asked the view to select; its echo is not reported as the user's selection. */
  private following: string | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  /** Last node the user selected in the view (graph id and node name). */
  selection: { graph: string; node: string | null } | undefined;
  /** Resolves when the view has drawn its first frame of the current payload. */
  rendered: Promise<void>;
  private markRendered: () => void = () => undefined;
  /** Resolves when the webview's script has started (its first `ready`). */
  readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;
  /** Settles after the first load attempt. */
  private readonly loaded: Promise<void>;
  private markLoaded: () => void = () => undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: GraphPanelSource,
    private readonly log: vscode.LogOutputChannel,
    reveal?: NodeRef,
  ) {
    super();
    this.pendingReveal = reveal;
    this.rendered = new Promise((resolve) => (this.markRendered = resolve));
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')] };
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this._register(vscode.window.onDidChangeActiveColorTheme((theme) => this.post({ type: 'theme', kind: themeKind(theme.kind) })));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => this.loading?.cancel() });
    this._register({ dispose: () => this.resizing?.cancel() });
    this._register({ dispose: () => clearTimeout(this.readyTimer) });
    panel.webview.html = graphWebviewHtml(panel.webview, extensionUri, panel.title);
    this.armReadyTimer();
    void this.reload();
  }

  /** (Re)reads the model and sends the new payload to the view. */
  async reload(): Promise<void> {
    this.loading?.cancel();
    const loading = (this.loading = new vscode.CancellationTokenSource());
    try {
      const payload = await this.source.load(loading.token);
      if (loading.token.isCancellationRequested || this.isDisposed) return;
      this.payload = payload;
      this.failure = undefined;
    } catch (error) {
      if (loading.token.isCancellationRequested || this.isDisposed) return;
      this.payload = undefined;
      this.failure = error instanceof Error ? error.message : String(error);
      this.log.error(`graph view: ${this.failure}`);
    } finally {
      loading.dispose();
      if (this.loading === loading) this.loading = undefined;
    }
    this.markLoaded();
    this.sendState();
  }

  reveal(target: NodeRef): void {
    this.panel.reveal(undefined, false);
    if (this.viewReady && this.payload) this.post({ type: 'reveal', target });
    else this.pendingReveal = target;
  }

  /** Selects and centres a node without bringing the panel forward (keeps another pane in step). */
  follow(target: NodeRef): void {
    if (!this.viewReady || !this.payload) return;
    this.following = target.node;
    this.post({ type: 'reveal', target });
  }

  /** Centres a node at a zoom without selecting it (the other pane of a side-by-side diff moved). */
  moveCamera(target: NodeRef, scale: number): void {
    if (this.viewReady && this.payload) this.post({ type: 'camera', target, scale });
  }

  showOverlay(overlay: Overlay, show = true): void {
    this.overlays.set(`${overlay.graph}:${overlay.id}`, overlay);
    if (this.viewReady && this.payload) this.post({ type: 'overlay', overlay, show });
  }

  /**
   * Colours nodes by values other features produce by node name (profile latency,
   * quantization error). Returns the names that match no node of the shown model.
   */
  async showNamedOverlay(named: NamedOverlay, show = true): Promise<string[]> {
    await this.loaded;
    if (!this.payload) throw new Error(`the graph of ${this.panel.title} is not available${this.failure ? `: ${this.failure}` : ''}`);
    const { overlay, unmatched } = resolveOverlay(this.payload, named);
    this.showOverlay(overlay, show);
    return unmatched;
  }

  private armReadyTimer(): void {
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => {
      if (!this.viewReady) this.log.warn(`graph view: the webview of ${this.panel.title} did not start within ${readyTimeoutMs / 1000} s`);
    }, readyTimeoutMs);
  }

  private sendState(): void {
    if (!this.viewReady) return;
    if (this.failure !== undefined) {
      this.post({ type: 'failed', message: `Cannot show ${this.panel.title}: ${this.failure}` });
      return;
    }
    if (!this.payload) return;
    this.rendered = new Promise((resolve) => (this.markRendered = resolve));
    const reveal = this.pendingReveal;
    this.pendingReveal = undefined;
    const viewState = this.source.viewState?.get();
    this.post({ type: 'init', payload: this.payload, weightsAvailable: true, ...(reveal ? { reveal } : {}), ...(viewState ? { viewState } : {}) });
    for (const overlay of this.overlays.values()) this.post({ type: 'overlay', overlay, show: false });
  }

  private receive(data: unknown): void {
    const parsed = parseMessage(graphViewToHostSchema, data);
    if (!parsed.ok) {
      this.log.warn(`graph view: ignored a malformed message from the webview (${parsed.reason})`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.viewReady = true;
        this.markStarted();
        clearTimeout(this.readyTimer);
        this.sendState();
        break;
      case 'requestWeights':
        this.source.weights(message.graph, message.tensor).then(
          (stats) => this.post({ type: 'weightStats', requestId: message.requestId, result: { ok: true, stats } }),
          (error: unknown) => this.post({ type: 'weightStats', requestId: message.requestId, result: { ok: false, error: error instanceof Error ? error.message : String(error) } }),
        );
        break;
      case 'selection': {
        this.selection = { graph: message.graph, node: message.node };
        const echo = this.following !== undefined && message.node === this.following;
        this.following = undefined;
        if (!echo) this.selections.fire(this.selection);
        break;
      }
      case 'viewport':
        this.viewports.fire({ graph: message.graph, node: message.node, scale: message.scale });
        break;
      case 'setInputSizes':
        void this.resize(message.sizes);
        break;
      case 'openSideBySide':
        this.source.sideBySide?.();
        break;
      case 'rendered':
        this.log.info(`graph view: ${this.panel.title} first frame at ${message.firstFrameMs.toFixed(0)} ms, ${message.visibleNodes} items visible`);
        this.markRendered();
        break;
      case 'openSubgraph':
        this.log.info(`graph view: opened ${message.attribute} of ${JSON.stringify(message.node)}`);
        break;
      case 'error':
        this.log.error(`graph view (webview): ${message.message}${message.detail ? `\n${message.detail}` : ''}`);
        break;
      case 'viewState':
        this.source.viewState?.set(message.state);
        break;
    }
  }

  /** Recomputes shapes, FLOPs and overlays for sizes set in the view; a newer request cancels an older one. */
  private async resize(sizes: GivenInputSizes): Promise<void> {
    this.resizing?.cancel();
    if (!this.source.resize || !this.payload) {
      this.post({ type: 'resizeFailed', sizes, message: this.payload ? 'Input sizes cannot be set in a diff view; open the model itself to set them.' : 'The model is not loaded yet; try again when the graph is shown.' });
      return;
    }
    const resizing = (this.resizing = new vscode.CancellationTokenSource());
    try {
      const payload = await this.source.resize(sizes, resizing.token);
      if (resizing.token.isCancellationRequested || this.isDisposed) return;
      this.payload = payload;
      this.log.info(`graph view: ${this.panel.title} recomputed for input sizes ${JSON.stringify(sizes)}`);
      this.post({ type: 'resized', payload, sizes });
    } catch (error) {
      if (resizing.token.isCancellationRequested || this.isDisposed) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`graph view: input sizes ${JSON.stringify(sizes)} refused: ${reason}`);
      this.post({ type: 'resizeFailed', sizes, message: `Cannot use these input sizes: ${reason}.` });
    } finally {
      resizing.dispose();
      if (this.resizing === resizing) this.resizing = undefined;
    }
  }

  private post(message: HostToGraphView): void {
    if (this.isDisposed) return;
    void this.panel.webview.postMessage(message);
  }
}
