import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import type { ProfileView, ProfileViewTarget, ProfileViewToHost } from '../../src/protocol/profileView';
import { el } from '../shared/dom';
import { setChoices, singleSelect } from '../shared/elements';
import { bytes, ms, percent, verdict, watts } from './format';

Chart.register(ScatterController, LineController, LinearScale, LogarithmicScale, PointElement, LineElement, Tooltip, Legend);

/** How many of the slowest layers the table lists. */
export const topLayers = 15;

interface BarSpec {
  readonly label: string;
  readonly value: number;
  readonly budget: number | undefined;
  readonly fits: boolean | null | undefined;
  readonly format: (v: number) => string;
}

function bar(spec: BarSpec): HTMLElement {
  const scale = Math.max(spec.value, spec.budget ?? 0) || 1;
  const fill = el('div', { className: `bar-fill${spec.fits === false ? ' over' : ''}` });
  fill.style.width = `${(spec.value / scale) * 100}%`;
  const track = el('div', { className: 'bar-track' }, [fill]);
  if (spec.budget !== undefined) {
    const marker = el('div', { className: 'bar-budget', title: `budget ${spec.format(spec.budget)}` });
    marker.style.left = `calc(${(spec.budget / scale) * 100}% - 1px)`;
    track.append(marker);
  }
  const text = `${spec.format(spec.value)} ${verdict(spec.fits)}${spec.budget !== undefined ? ` of ${spec.format(spec.budget)}` : ''}`.replace(/\s+/g, ' ').trim();
  return el('div', { className: 'bar-row', data: { metric: spec.label } }, [
    el('span', { text: spec.label }),
    track,
    el('span', { className: `bar-value${spec.fits === false ? ' over-text' : ''}`, text }),
  ]);
}

function targetCard(r: ProfileViewTarget): HTMLElement {
  const b = r.budgets;
  return el('div', { className: 'target', data: { target: r.target } }, [
    el('h3', { text: `${r.target} · ${r.precision}`, title: r.targetName ?? r.target }),
    bar({ label: 'latency', value: r.latencyMs, budget: b?.latencyMs, fits: r.fits.latency, format: ms }),
    bar({ label: 'memory', value: r.peakMemoryBytes, budget: b?.memoryBytes, fits: r.fits.memory, format: bytes }),
    bar({ label: 'power', value: r.powerW, budget: b?.powerW, fits: r.fits.power, format: watts }),
    el('div', { className: 'subtitle', text: `${r.sustainedFps.toFixed(1)} fps sustained${b?.fps !== undefined ? ` ${verdict(r.fits.fps)} of ${b.fps} fps` : ''} · ${r.energyMj.toFixed(2)} mJ per inference` }),
  ]);
}

export class ProfileApp {
  private readonly charts: Chart[] = [];
  private detail: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (message: ProfileViewToHost) => void,
  ) {}

  show(view: ProfileView): void {
    for (const c of this.charts.splice(0)) c.destroy();
    const header = [el('h1', { text: view.title }), el('p', { className: 'subtitle', text: [view.useCase, view.model].filter(Boolean).join(' · ') })];
    const sections: HTMLElement[] = [el('section', { className: 'targets' }, view.results.map(targetCard))];
    if (view.measureError) sections.push(el('div', { className: 'error', text: `Not measured on this host: ${view.measureError}` }));
    if (view.measured) {
      const m = view.measured;
      const parts = [`Measured on this host (onnxruntime-node): p50 ${ms(m.p50Ms)}, p90 ${ms(m.p90Ms)}, p99 ${ms(m.p99Ms)} over ${m.runs} runs`];
      if (m.estimateRatio !== undefined) parts.push(`host-cpu estimate ${(m.estimateRatio * 100).toFixed(0)}% of measured p50`);
      if (m.rankCorrelation !== undefined) parts.push(`per-layer rank correlation ${m.rankCorrelation.toFixed(2)} over ${m.comparedLayers ?? 0} layers`);
      sections.push(el('div', { className: 'measured', text: parts.join(' · ') }));
    }
    if (view.ecu) sections.push(this.ecuSection(view.ecu));
    this.detail = el('section', { className: 'detail' });
    if (view.results.length > 0) {
      const select = singleSelect('target-select', 'Target');
      const controls = el('div', { className: 'controls' }, [el('span', { text: 'Layers and roofline of' }), select]);
      sections.push(controls, this.detail);
      const chosen = setChoices(select, view.results.map((r) => ({ value: r.target, label: r.target })), view.results[0]!.target);
      select.addEventListener('change', () => this.showTarget(view, select.value));
      this.showTarget(view, chosen);
    }
    this.root.replaceChildren(...header, ...sections);
    document.body.dataset.ready = 'true';
  }

  private showTarget(view: ProfileView, id: string): void {
    const r = view.results.find((x) => x.target === id);
    if (!r || !this.detail) return;
    for (const c of this.charts.splice(0)) c.destroy();
    this.detail.dataset.target = r.target;
    const total = r.layers.reduce((s, l) => s + l.ms, 0) || 1;
    const hasMeasured = r.layers.some((l) => l.measuredMs !== undefined);
    const top = [...r.layers].sort((a, b) => b.ms - a.ms).slice(0, topLayers);
    const head = ['layer', 'op', 'engine', 'estimated', 'share', ...(hasMeasured ? ['measured'] : []), 'bound'];
    const rows = top.map((l) => {
      const row = el('tr', { data: { node: l.node }, title: `Show ${l.node} in the graph` }, [
        el('td', { text: l.node }),
        el('td', { text: l.op }),
        el('td', { text: l.engine }),
        el('td', { className: 'num', text: ms(l.ms) }),
        el('td', { className: 'num', text: percent(l.ms / total) }),
        ...(hasMeasured ? [el('td', { className: 'num', text: l.measuredMs === undefined ? '–' : ms(l.measuredMs) })] : []),
        el('td', { text: l.bound }),
      ]);
      row.tabIndex = 0;
      const reveal = () => this.post({ type: 'revealNode', node: l.node });
      row.addEventListener('click', reveal);
      row.addEventListener('keydown', (e) => e.key === 'Enter' && reveal());
      return row;
    });
    const table = el('table', { className: 'layers' }, [
      el('thead', {}, [el('tr', {}, head.map((h) => el('th', { text: h, className: ['estimated', 'share', 'measured'].includes(h) ? 'num' : '' })))]),
      el('tbody', {}, rows),
    ]);
    const charts = el('div', { className: 'charts' });
    const children: HTMLElement[] = [el('h2', { text: `Top ${top.length} of ${r.layers.length} layers on ${r.target}` }), table, el('h2', { text: 'Roofline and split' }), charts];
    if (r.warnings.length > 0) children.push(el('h2', { text: 'Warnings' }), el('ul', { className: 'warnings' }, r.warnings.map((w) => el('li', { text: w.message }))));
    this.detail.replaceChildren(...children);
    charts.append(this.roofline(r));
    if (r.split) charts.append(this.splitChart(r.split));
  }

  private canvas(id: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
    const canvas = el('canvas', { data: { chart: id } });
    return { box: el('div', { className: 'chart' }, [canvas]), canvas };
  }

  /** Achieved ops/s against arithmetic intensity per layer, under each engine's roof min(peak, bandwidth x intensity). */
  private roofline(r: ProfileViewTarget): HTMLElement {
    const { box, canvas } = this.canvas('roofline');
    const points = r.layers.filter((l) => l.flops > 0 && l.bytes > 0 && l.ms > 0).map((l) => ({ x: l.flops / l.bytes, y: l.flops / (l.ms / 1000), node: l.node }));
    const xs = points.map((p) => p.x);
    const lo = Math.max(1e-3, Math.min(0.1, ...xs) / 2);
    const hi = Math.max(1000, ...xs) * 2;
    const roofs = r.engines.map((e) => {
      const ridge = e.peakOpsPerS / Math.max(1, e.bandwidthBytesPerS);
      const data = [lo, Math.min(Math.max(ridge, lo), hi), hi].map((x) => ({ x, y: Math.min(e.peakOpsPerS, e.bandwidthBytesPerS * x) }));
      return { type: 'line' as const, label: `${e.engine} roof`, data, pointRadius: 0, borderWidth: 1.5 };
    });
    this.charts.push(
      new Chart(canvas, {
        type: 'scatter',
        data: { datasets: [{ type: 'scatter' as const, label: 'layers', data: points, pointRadius: 3 }, ...roofs] },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: {
            x: { type: 'logarithmic', title: { display: true, text: 'arithmetic intensity (ops/byte)' } },
            y: { type: 'logarithmic', title: { display: true, text: 'achieved ops/s' } },
          },
          onClick: (_event, elements) => {
            const hit = elements.find((e) => e.datasetIndex === 0);
            const p = hit ? points[hit.index] : undefined;
            if (p) this.post({ type: 'revealNode', node: p.node });
          },
        },
      }),
    );
    return box;
  }

  private splitChart(split: NonNullable<ProfileViewTarget['split']>): HTMLElement {
    const { box, canvas } = this.canvas('split');
    const best = split.cuts[split.best];
    this.charts.push(
      new Chart(canvas, {
        type: 'line',
        data: {
          datasets: [
            { label: 'total', data: split.cuts.map((c) => ({ x: c.vehicleNodes, y: c.totalMs })), pointRadius: 0, borderWidth: 2 },
            { label: 'vehicle', data: split.cuts.map((c) => ({ x: c.vehicleNodes, y: c.vehicleMs })), pointRadius: 0, borderWidth: 1 },
            { label: 'transfer', data: split.cuts.map((c) => ({ x: c.vehicleNodes, y: c.transferMs })), pointRadius: 0, borderWidth: 1 },
            ...(best ? [{ type: 'scatter' as const, label: `best cut (after ${best.after ?? 'input'}: ${ms(best.totalMs)})`, data: [{ x: best.vehicleNodes, y: best.totalMs }], pointRadius: 6 }] : []),
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { type: 'linear', title: { display: true, text: `nodes in the vehicle (rest on ${split.cloudTarget})` } }, y: { type: 'linear', title: { display: true, text: 'ms' } } },
        },
      }),
    );
    return box;
  }

  private ecuSection(ecu: NonNullable<ProfileView['ecu']>): HTMLElement {
    const title = ecu.verdict === 'fits' ? `ECU ${ecu.ecu} on ${ecu.target}: fits` : `ECU ${ecu.ecu} on ${ecu.target}: overloaded by ${ecu.overloadPercent.toFixed(0)}%`;
    return el('section', { className: 'ecu' }, [
      el('h2', { text: title }),
      ...ecu.engines.map((e) => bar({ label: e.engine, value: e.utilisation, budget: 1, fits: e.utilisation <= 1, format: percent })),
      bar({ label: 'memory', value: ecu.memoryBytes, budget: ecu.memoryCapacityBytes, fits: ecu.memoryBytes <= ecu.memoryCapacityBytes, format: bytes }),
      el('p', { className: 'subtitle', text: ecu.useCases.map((u) => `${u.name} ${u.fps} fps × ${ms(u.latencyMs)}`).join(' · ') }),
    ]);
  }
}
