import * as vscode from 'vscode';
import { pageHtml } from '../../core/webview/pageHtml';
import { quantDiffViewToHostSchema, type HostToQuantDiffView, type QuantDiffSummary } from '../../protocol/quantdiffReport';
import { Disposable } from '../util/dispose';

export const quantDiffViewType = 'aios.quantDiff';

/**
 * One quantization diff in a webview panel. The report goes to the view when it says it is
 * ready; what the view sends is validated (names in it come from model files) before use.
 */
export class QuantDiffPanel extends Disposable {
  private report: { report: QuantDiffSummary; runId: string } | undefined;
  private ready = false;
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly reveal: (model: vscode.Uri, node: string, tensor: string) => void,
  ) {
    super();
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'quantdiff.js'));
    panel.webview.html = pageHtml({ title: panel.title, resourceSource: panel.webview.cspSource, scripts: [{ src: script.toString() }] });
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  show(report: QuantDiffSummary, runId: string): void {
    this.report = { report, runId };
    this.panel.title = `Quantization diff: ${report.quant.path.split(/[\\/]/).pop() ?? report.quant.path}`;
    this.send();
  }

  private send(): void {
    if (!this.ready || !this.report) return;
    const message: HostToQuantDiffView = { type: 'init', report: this.report.report, runId: this.report.runId };
    void this.panel.webview.postMessage(message);
  }

  private receive(data: unknown): void {
    const parsed = quantDiffViewToHostSchema.safeParse(data);
    if (!parsed.success) {
      this.log.warn(`quantization diff: ignored a malformed message from the view (${parsed.error.issues[0]?.message ?? 'unknown'})`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this.ready = true;
      this.send();
    } else if (this.report) {
      this.reveal(vscode.Uri.file(this.report.report.fp32.path), message.node || message.tensor, message.tensor);
    }
  }
}
