import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { QuantDiffSummary } from '../../src/protocol/quantdiffReport';
import { visibleText } from '../shared/displayText';
import { el } from '../shared/dom';
import { dataTable } from '../shared/table';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

type Tensor = QuantDiffSummary['tensors'][number];
type Column = { readonly key: string; readonly label: string; readonly value: (t: Tensor) => number | string };

const columns: readonly Column[] = [
  { key: 'order', label: '#', value: (t) => t.order },
  { key: 'name', label: 'tensor', value: (t) => t.name },
  { key: 'node', label: 'node', value: (t) => t.node },
  { key: 'op', label: 'op', value: (t) => t.op },
  { key: 'sqnr', label: 'SQNR dB', value: (t) => t.sqnrDb ?? Infinity },
  { key: 'cosine', label: 'cosine', value: (t) => t.cosine },
  { key: 'maxAbsErr', label: 'max |err|', value: (t) => t.maxAbsErr },
  { key: 'quantOp', label: 'quantized as', value: (t) => t.quantOp },
];

const dB = (v: number | null) => (v === null ? 'exact' : v.toFixed(1));
const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
const ms = (v: number | undefined) => (v === undefined ? 'not measured' : `${v.toFixed(1)} ms`);
const fileName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/**
 * The quantization diff: header facts, outputs, per-layer SQNR chart in graph order, a
 * sortable per-tensor table, and the fp32-vs-quantized histograms of the selected tensor.
 * Every name is shown as text only. `reveal` (VS Code) shows a row's node in the graph view.
 */
export class QuantDiffView {
  private report: QuantDiffSummary | undefined;
  private sort: { key: string; descending: boolean } = { key: 'sqnr', descending: false };
  private selected: string | undefined;
  private readonly charts: Chart[] = [];
  private body: HTMLElement | undefined;
  private histogram: Chart | undefined;
  private histogramTitle: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly reveal?: (node: string, tensor: string) => void,
  ) {}

  show(report: QuantDiffSummary, runId?: string): void {
    this.report = report;
    for (const c of this.charts.splice(0)) c.destroy();
    this.histogram = undefined;
    const worst = [...report.tensors].sort((a, b) => (a.sqnrDb ?? Infinity) - (b.sqnrDb ?? Infinity))[0];
    this.selected = worst?.name;
    const reduction = report.fp32.bytes > 0 ? ` (${((report.quant.bytes / report.fp32.bytes) * 100).toFixed(0)}%)` : '';
    const facts = el('div', { className: 'facts' }, [
      el('span', {}, [el('b', { text: 'Size ' }), `${mib(report.fp32.bytes)} → ${mib(report.quant.bytes)}${reduction}`]),
      el('span', {}, [el('b', { text: 'Host latency ' }), `${ms(report.fp32.latencyMs)} → ${ms(report.quant.latencyMs)} (median, onnxruntime CPU)`]),
      el('span', {}, [el('b', { text: 'Inputs ' }), visibleText(report.data.description)]),
      ...(runId ? [el('span', {}, [el('b', { text: 'Run ' }), visibleText(runId)])] : []),
    ]);
    const synthetic = report.data.synthetic
      ? [el('p', { className: 'warning', text: 'Synthetic inputs (seeded, mean 0, std 1): these figures show where the quantized model departs from fp32, not its accuracy on real data. Run with --data for real samples.' })]
      : [];
    const sqnrCanvas = el('canvas', { data: { chart: 'sqnr' } });
    const histCanvas = el('canvas', { data: { chart: 'histogram' } });
    this.histogramTitle = el('p', { className: 'hint' });
    this.body = document.createElement('vscode-table-body');
    this.body.slot = 'body';
    const table = this.table();
    this.root.replaceChildren(
      el('h1', { text: `${visibleText(fileName(report.fp32.path))} → ${visibleText(fileName(report.quant.path))}` }),
      facts,
      ...synthetic,
      el('h2', { text: 'Outputs' }),
      this.outputs(report),
      el('div', { className: 'charts' }, [
        el('div', {}, [el('h2', { text: 'SQNR per layer (graph order)' }), el('div', { className: 'chart' }, [sqnrCanvas])]),
        el('div', {}, [el('h2', { text: 'Values of the selected tensor' }), this.histogramTitle, el('div', { className: 'chart' }, [histCanvas])]),
      ]),
      el('h2', { text: `Tensors (${report.tensors.length})` }),
      el('p', { className: 'hint', text: `Click a column to sort, a row to see its values${this.reveal ? ' and its node in the graph view' : ''}.${report.unmatched.length ? ` ${report.unmatched.length} fp32 tensors have no counterpart in the quantized model.` : ''}` }),
      table,
    );
    this.charts.push(this.sqnrChart(sqnrCanvas, report));
    this.histogram = new Chart(histCanvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'fp32', data: [], backgroundColor: 'rgba(9,105,218,0.55)' }, { label: 'quantized', data: [], backgroundColor: 'rgba(207,34,46,0.55)' }] },
      options: { animation: false, maintainAspectRatio: false, scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { title: { display: true, text: 'count' } } } },
    });
    this.charts.push(this.histogram);
    this.fillRows();
    this.showHistogram();
    document.body.dataset.ready = 'true';
  }

  private outputs(report: QuantDiffSummary): HTMLElement {
    const rows = report.outputs.map((o) =>
      [o.name, dB(o.sqnrDb), o.cosine.toFixed(5), o.maxAbsErr.toPrecision(3), o.decisionAgreement === undefined ? '-' : `${(o.decisionAgreement * 100).toFixed(1)}%`].map(visibleText),
    );
    const table = dataTable('', rows, { labels: ['output', 'SQNR dB', 'cosine', 'max |err|', 'top-1 agreement'], columns: ['30%', '15%', '15%', '20%', '20%'] });
    table.dataset.table = 'outputs';
    return table;
  }

  private table(): HTMLElement {
    const table = document.createElement('vscode-table');
    table.zebra = true;
    table.columns = ['6%', '26%', '22%', '10%', '9%', '9%', '9%', '9%'];
    table.dataset.table = 'tensors';
    const header = document.createElement('vscode-table-header');
    header.slot = 'header';
    for (const c of columns) {
      const cell = el('vscode-table-header-cell', { text: c.label, data: { sort: c.key } });
      cell.addEventListener('click', () => {
        this.sort = { key: c.key, descending: this.sort.key === c.key ? !this.sort.descending : false };
        this.fillRows();
      });
      header.append(cell);
    }
    table.append(header, this.body as HTMLElement);
    return table;
  }

  private fillRows(): void {
    const report = this.report;
    if (!report || !this.body) return;
    const column = columns.find((c) => c.key === this.sort.key) ?? columns[0]!;
    const sign = this.sort.descending ? -1 : 1;
    const rows = [...report.tensors].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
    this.body.replaceChildren(
      ...rows.map((t) => {
        const row = document.createElement('vscode-table-row');
        row.dataset.tensor = t.name;
        if (t.name === this.selected) row.classList.add('selected');
        const cells = [String(t.order), t.name, t.node, t.op, dB(t.sqnrDb), t.cosine.toFixed(5), t.maxAbsErr.toPrecision(3), t.quantOp];
        cells.forEach((text, i) => {
          const cell = el('vscode-table-cell', { text: visibleText(text), title: visibleText(text) });
          if (i === 4 && t.sqnrDb !== null && t.sqnrDb < 20) cell.classList.add('low');
          row.append(cell);
        });
        row.addEventListener('click', () => this.select(t));
        return row;
      }),
    );
    this.root.dataset.sort = `${this.sort.key}:${this.sort.descending ? 'desc' : 'asc'}`;
  }

  private select(t: Tensor): void {
    this.selected = t.name;
    for (const row of this.body?.children ?? []) row.classList.toggle('selected', (row as HTMLElement).dataset.tensor === t.name);
    this.showHistogram();
    this.reveal?.(t.node, t.name);
  }

  private showHistogram(): void {
    const t = this.report?.tensors.find((x) => x.name === this.selected);
    const chart = this.histogram;
    if (!chart || !this.histogramTitle) return;
    const h = t?.histogram;
    this.histogramTitle.textContent = t ? `${visibleText(t.name)} (${visibleText(t.op)}): SQNR ${dB(t.sqnrDb)} dB` : 'No tensor selected';
    const bins = h ? h.fp32.length : 0;
    const width = h ? (h.max - h.min) / Math.max(1, bins) : 0;
    chart.data.labels = h ? h.fp32.map((_, i) => (h.min + (i + 0.5) * width).toPrecision(3)) : [];
    chart.data.datasets[0]!.data = h ? [...h.fp32] : [];
    chart.data.datasets[1]!.data = h ? [...h.quant] : [];
    chart.update();
    this.root.dataset.histogram = t?.name ?? '';
  }

  private sqnrChart(canvas: HTMLCanvasElement, report: QuantDiffSummary): Chart {
    const ordered = [...report.tensors].sort((a, b) => a.order - b.order);
    // Exact tensors have no finite SQNR: drawn at the top of the finite ones.
    const finite = ordered.map((t) => t.sqnrDb).filter((v): v is number => v !== null);
    const top = finite.length ? Math.max(...finite) + 10 : 100;
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: ordered.map((t) => t.node || t.name),
        datasets: [{ label: 'SQNR dB', data: ordered.map((t) => t.sqnrDb ?? top), borderColor: '#0969da', pointRadius: 2, borderWidth: 1 }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { display: false } }, y: { title: { display: true, text: 'dB' } } },
        onClick: (_event, elements) => {
          const index = elements[0]?.index;
          const t = index === undefined ? undefined : ordered[index];
          if (t) this.select(t);
        },
      },
    });
    canvas.dataset.points = String(ordered.length);
    return chart;
  }
}
