// Registers VS Code's table elements (the view builds its sortable tables itself).
import '../shared/table';
import { hostToQuantDiffViewSchema, quantDiffReportSchema, type QuantDiffSummary, type QuantDiffViewToHost } from '../../src/protocol/quantdiffReport';
import { el } from '../shared/dom';
import { vscodeHostLink, type HostLink } from '../shared/hostLink';
import { QuantDiffView } from './view';
import { quantDiffStyles } from './style';

/** Entry point of the quantization diff (VS Code webview panel, and the page `aios quantdiff --html` writes). */
function start(): void {
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = quantDiffStyles;
  document.head.append(style);
  const host: HostLink<QuantDiffViewToHost> | undefined = vscodeHostLink<QuantDiffViewToHost>();
  const fail = (message: string) => {
    document.body.replaceChildren(el('p', { className: 'warning', text: message }));
    document.body.dataset.ready = 'true';
  };
  if (host) {
    const view = new QuantDiffView(document.body, (node, tensor) => host.post({ type: 'reveal', node, tensor }));
    host.listen((data) => {
      const parsed = hostToQuantDiffViewSchema.safeParse(data);
      if (!parsed.success) return fail(`The quantization diff received a malformed message (${parsed.error.issues[0]?.message ?? 'unknown'}).`);
      view.show(parsed.data.report, parsed.data.runId);
    });
    host.post({ type: 'ready' });
    return;
  }
  const text = document.getElementById('aios-quantdiff-data')?.textContent;
  let report: QuantDiffSummary | undefined;
  try {
    const parsed = quantDiffReportSchema.safeParse(JSON.parse(text ?? 'null'));
    if (parsed.success) report = parsed.data;
  } catch {
    report = undefined;
  }
  if (!report) return fail('This page holds no valid quantization diff data.');
  new QuantDiffView(document.body).show(report);
}

start();
