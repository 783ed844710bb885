import * as vscode from 'vscode';
import { pageHtml } from '../../core/webview/pageHtml';
import { Disposable } from './dispose';

/** How a panel checks a message from its view: the parsed message, or why it is refused. */
export type ViewMessageParser<M> = (data: unknown) => { ok: true; message: M } | { ok: false; reason: string };

/**
 * A webview panel running one bundled app of dist/webviews (strict CSP with a nonce): the
 * host's data goes to the view once the app says it is `ready` (and again whenever it
 * changes), and every message from the view is validated before use (names in it come from
 * model files). Subclasses say what the data message is and handle the other messages.
 */
export abstract class WebviewAppPanel<Data, FromView extends { readonly type: string }> extends Disposable {
  private data: Data | undefined;
  private ready = false;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    app: string,
    protected readonly log: vscode.LogOutputChannel,
    private readonly parse: ViewMessageParser<FromView>,
  ) {
    super();
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', `${app}.js`));
    panel.webview.html = pageHtml({ title: panel.title, resourceSource: panel.webview.cspSource, scripts: [{ src: script.toString() }] });
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(app, data)));
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  /** What the view shows now, if anything. */
  protected get current(): Data | undefined {
    return this.data;
  }

  protected setData(data: Data): void {
    this.data = data;
    this.send();
  }

  /** The message that hands `data` to the view. */
  protected abstract dataMessage(data: Data): unknown;
  /** Any validated message of the view other than `ready`. */
  protected abstract handle(message: FromView): void;

  private send(): void {
    if (this.ready && this.data !== undefined) void this.panel.webview.postMessage(this.dataMessage(this.data));
  }

  private receive(app: string, data: unknown): void {
    const parsed = this.parse(data);
    if (!parsed.ok) {
      this.log.warn(`${app} view: ignored a malformed message from the view (${parsed.reason})`);
      return;
    }
    if (parsed.message.type === 'ready') {
      this.ready = true;
      this.send();
    } else this.handle(parsed.message);
  }
}

/**
 * A new panel of a bundled app in the active column, kept in `panels` while it is open. The
 * app's page loads its script from dist/webviews only.
 */
export function openAppPanel<P extends { readonly onDidDispose: vscode.Event<void> }>(
  extensionUri: vscode.Uri,
  viewType: string,
  title: string,
  panels: Set<P>,
  create: (panel: vscode.WebviewPanel) => P,
): P {
  const webviewPanel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')],
  });
  const panel = create(webviewPanel);
  panels.add(panel);
  panel.onDidDispose(() => panels.delete(panel));
  return panel;
}

/** Reveals a node in the graph view of `model`, then lets the caller put its overlay on that (maybe new) view. */
export function revealNodeThen(overlay: (model: vscode.Uri) => Promise<void>): (model: vscode.Uri, node: string) => void {
  return (model, node) => void vscode.commands.executeCommand('aios.revealNode', model, node).then(() => overlay(model));
}
