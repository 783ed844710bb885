import * as vscode from 'vscode';
import { parseMessage } from '../../protocol/graphMessages';
import { profileViewToHostSchema, type HostToProfileView, type ProfileView, type ProfileViewToHost } from '../../protocol/profileView';
import { WebviewAppPanel } from '../util/webviewAppPanel';

export const profileViewType = 'aios.profile';

/** One profile run in a webview panel (webviews/profile); a layer row reveals its node in the graph view. */
export class ProfilePanel extends WebviewAppPanel<{ view: ProfileView; runId: string }, ProfileViewToHost> {
  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    private readonly reveal: (model: vscode.Uri, node: string) => void,
  ) {
    super(panel, extensionUri, 'profile', log, (data) => parseMessage(profileViewToHostSchema, data));
  }

  get runId(): string | undefined {
    return this.current?.runId;
  }

  show(view: ProfileView, runId: string): void {
    this.panel.title = view.title;
    this.setData({ view, runId });
  }

  protected dataMessage(data: { view: ProfileView }): HostToProfileView {
    return { type: 'profile', view: data.view };
  }

  protected handle(message: ProfileViewToHost): void {
    if (message.type === 'error') this.log.warn(`profile view: ${message.message}`);
    else if (message.type === 'revealNode') {
      const model = this.current?.view.model;
      if (model) this.reveal(vscode.Uri.file(model), message.node);
      else void vscode.window.showInformationMessage(`AIOS: this profile covers several models (an ECU); open one use case's profile to show ${message.node} in its graph.`);
    }
  }
}
