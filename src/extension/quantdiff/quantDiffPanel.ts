import * as vscode from 'vscode';
import { quantDiffViewToHostSchema, type HostToQuantDiffView, type QuantDiffSummary, type QuantDiffViewToHost } from '../../protocol/quantdiffReport';
import { WebviewAppPanel } from '../util/webviewAppPanel';

export const quantDiffViewType = 'aios.quantDiff';

/** One quantization diff in a webview panel (webviews/quantdiff); a row reveals its node in the graph view. */
export class QuantDiffPanel extends WebviewAppPanel<{ report: QuantDiffSummary; runId: string }, QuantDiffViewToHost> {
  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    private readonly reveal: (model: vscode.Uri, node: string, tensor: string) => void,
  ) {
    super(panel, extensionUri, 'quantdiff', log, (data) => {
      const parsed = quantDiffViewToHostSchema.safeParse(data);
      return parsed.success ? { ok: true, message: parsed.data } : { ok: false, reason: parsed.error.issues[0]?.message ?? 'unknown' };
    });
  }

  show(report: QuantDiffSummary, runId: string): void {
    this.panel.title = `Quantization diff: ${report.quant.path.split(/[\\/]/).pop() ?? report.quant.path}`;
    this.setData({ report, runId });
  }

  protected dataMessage(data: { report: QuantDiffSummary; runId: string }): HostToQuantDiffView {
    return { type: 'init', report: data.report, runId: data.runId };
  }

  protected handle(message: QuantDiffViewToHost): void {
    const current = this.current;
    if (message.type === 'reveal' && current) this.reveal(vscode.Uri.file(current.report.fp32.path), message.node || message.tensor, message.tensor);
  }
}
