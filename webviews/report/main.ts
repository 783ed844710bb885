import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { runReportSchema, type ReportUseCase } from '../../src/protocol/runReport';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

const ok = '#1a7f37';
const bad = '#cf222e';
const blue = '#0969da';
const grey = '#8c959f';

const common = { animation: false, responsive: false } as const;

function draw(id: string, config: ChartConfiguration): boolean {
  const canvas = document.getElementById(id);
  if (!(canvas instanceof HTMLCanvasElement)) return false;
  new Chart(canvas, config);
  return true;
}

/** The charts of one use case; returns how many were drawn. */
function drawUseCase(u: ReportUseCase, index: number): number {
  let drawn = 0;
  const id = (kind: string) => `chart-${index}-${kind}`;
  const q = u.quantize;
  if (q && q.layers.length > 0) {
    const gate = q.minSqnrDb;
    const ok1 = draw(id('sqnr'), {
      type: 'bar',
      data: {
        labels: q.layers.map((l) => l.name),
        datasets: [{ label: 'SQNR dB', data: q.layers.map((l) => l.sqnrDb), backgroundColor: q.layers.map((l) => (gate !== undefined && l.sqnrDb < gate ? bad : blue)) }],
      },
      options: { ...common, plugins: { legend: { display: false } }, scales: { x: { ticks: { display: false } }, y: { title: { display: true, text: 'dB' } } } },
    });
    drawn += Number(ok1);
  }
  if (u.profile && u.profile.length > 0) {
    const targets = u.profile;
    drawn += Number(
      draw(id('profile'), {
        type: 'bar',
        data: {
          labels: targets.map((t) => t.target),
          datasets: [
            { label: 'estimated', data: targets.map((t) => t.latencyMs), backgroundColor: targets.map((t) => (t.fits ? ok : bad)) },
            { label: 'budget', data: targets.map((t) => t.latencyBudgetMs ?? null), backgroundColor: grey },
          ],
        },
        options: { ...common, indexAxis: 'y', scales: { x: { title: { display: true, text: 'ms' } } } },
      }),
    );
  }
  if (u.split && u.split.cuts.length > 0) {
    const cuts = u.split.cuts;
    drawn += Number(
      draw(id('split'), {
        type: 'line',
        data: {
          labels: cuts.map((c) => c.label),
          datasets: [
            { label: 'total', data: cuts.map((c) => c.totalMs), borderColor: blue, pointRadius: cuts.map((_, i) => (i === u.split!.best ? 5 : 0)) },
            { label: 'vehicle', data: cuts.map((c) => c.vehicleMs), borderColor: ok, pointRadius: 0 },
            { label: 'transfer', data: cuts.map((c) => c.transferMs), borderColor: grey, pointRadius: 0 },
            { label: 'cloud', data: cuts.map((c) => c.cloudMs), borderColor: bad, pointRadius: 0 },
          ],
        },
        options: { ...common, scales: { x: { ticks: { display: false } }, y: { title: { display: true, text: 'ms' } } } },
      }),
    );
  }
  if (u.ecu) {
    const engines = u.ecu.engines;
    drawn += Number(
      draw(id('ecu'), {
        type: 'bar',
        data: { labels: engines.map((e) => e.engine), datasets: [{ label: 'utilisation %', data: engines.map((e) => e.utilisation * 100), backgroundColor: engines.map((e) => (e.utilisation > 1 ? bad : ok)) }] },
        options: { ...common, plugins: { legend: { display: false } }, scales: { y: { title: { display: true, text: '%' }, suggestedMax: 100 } } },
      }),
    );
  }
  return drawn;
}

function start(): void {
  const data = document.getElementById('aios-report-data')?.textContent;
  if (!data) {
    document.body.dataset.ready = 'true';
    return;
  }
  const parsed = runReportSchema.safeParse(JSON.parse(data));
  if (!parsed.success) {
    const banner = document.createElement('p');
    banner.className = 'bad';
    banner.textContent = `The report data is malformed (${parsed.error.issues[0]?.message ?? 'unknown'}); charts are not drawn.`;
    document.body.prepend(banner);
    document.body.dataset.ready = 'true';
    return;
  }
  let charts = 0;
  parsed.data.useCases.forEach((u, i) => (charts += drawUseCase(u, i)));
  document.body.dataset.charts = String(charts);
  document.body.dataset.ready = 'true';
}

start();
