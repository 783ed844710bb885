import * as vscode from 'vscode';
import { pageHtml } from '../../core/webview/pageHtml';
import { profileViewToHostSchema, type HostToProfileView, type ProfileView } from '../../protocol/profileView';
import { parseMessage } from '../../protocol/graphMessages';
import { Disposable } from '../util/dispose';

export const profileViewType = 'aios.profile';

/**
 * One profile run in a webview panel (webviews/profile). The view gets its data when it says
 * it is ready; what it sends is validated before use (node names come from model files).
 */
export class ProfilePanel extends Disposable {
  private view: { view: ProfileView; runId: string } | undefined;
  private ready = false;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.closed.event;
  /** Test hook: fires with each node the view asked to reveal. */
  private readonly revealed = this._register(new vscode.EventEmitter<string>());
  readonly onDidRequestReveal = this.revealed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly reveal: (model: vscode.Uri, node: string) => void,
  ) {
    super();
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'profile.js'));
    panel.webview.html = pageHtml({ title: panel.title, resourceSource: panel.webview.cspSource, scripts: [{ src: script.toString() }] });
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  get runId(): string | undefined {
    return this.view?.runId;
  }

  show(view: ProfileView, runId: string): void {
    this.view = { view, runId };
    this.panel.title = view.title;
    this.send();
  }

  private send(): void {
    if (!this.ready || !this.view) return;
    const message: HostToProfileView = { type: 'profile', view: this.view.view };
    void this.panel.webview.postMessage(message);
  }

  private receive(data: unknown): void {
    const parsed = parseMessage(profileViewToHostSchema, data);
    if (!parsed.ok) {
      this.log.warn(`profile view: ignored a malformed message from the view (${parsed.reason})`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      this.ready = true;
      this.send();
    } else if (message.type === 'error') {
      this.log.warn(`profile view: ${message.message}`);
    } else {
      this.revealed.fire(message.node);
      const model = this.view?.view.model;
      if (model) this.reveal(vscode.Uri.file(model), message.node);
      else void vscode.window.showInformationMessage(`AIOS: this profile covers several models (an ECU); open one use case's profile to show ${message.node} in its graph.`);
    }
  }
}
