import type { ReportUseCase, RunReport } from '../../protocol/runReport';
import { formatBytes } from '../quantity/counts';
import { asciiJson } from '../graphview/exportHtml';
import { escapeHtml, pageHtml } from '../webview/pageHtml';

export type { ReportUseCase, RunReport } from '../../protocol/runReport';

const style = `:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --muted: #6e7781; --line: #d0d7de; }
body { font: 14px system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; } th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.passed b, b.passed, .ok { color: var(--ok); } .failed b, b.failed, .bad { color: var(--bad); } .skipped b, .unavailable b, .incomplete b, b.incomplete, .muted { color: var(--muted); }
section.usecase { border-top: 2px solid var(--line); margin-top: 2em; padding-top: 0.5em; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; } .chart { width: 540px; } .chart canvas { width: 540px; }
.chart h4 { margin: 0.3em 0; font-weight: 600; } code { font-size: 12px; word-break: break-all; }
.note { color: var(--muted); font-size: 12px; }`;

const statusCell = (status: string) => `<b class="${escapeHtml(status)}">${escapeHtml(status)}</b>`;
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
/** Watts, or milliwatts below one watt (a small model's share of the SoC's power is often a few mW). */
const watts = (v: number) => (v >= 1 ? `${v.toFixed(2)} W` : v >= 1e-3 ? `${(v * 1e3).toPrecision(3)} mW` : `${(v * 1e3).toPrecision(2)} mW`);
const check = (fits: boolean) => (fits ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>');

/** An id safe in HTML for the use case's charts. */
const chartId = (index: number, kind: string) => `chart-${index}-${kind}`;

function summaryTable(report: RunReport): string {
  const stages = report.useCases[0]?.stages.map((s) => s.name) ?? [];
  const rows = report.useCases.map((u, i) => {
    const cells = u.stages.map((s) => `<td class="${escapeHtml(s.status)}" title="${escapeHtml(s.detail)}"><b>${escapeHtml(s.status)}</b></td>`).join('');
    return `<tr><th scope="row"><a href="#usecase-${i}">${escapeHtml(u.name ?? u.file)}</a></th><td>${escapeHtml(u.domain ?? '')}</td><td class="${escapeHtml(u.status)}"><b>${escapeHtml(u.status)}</b></td>${cells}</tr>`;
  });
  return `<table class="summary"><thead><tr><th scope="col">use case</th><th scope="col">domain</th><th scope="col">status</th>${stages.map((s) => `<th scope="col">${escapeHtml(s)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function useCaseSection(u: ReportUseCase, index: number): string {
  const parts: string[] = [];
  parts.push(`<h2 id="usecase-${index}">${escapeHtml(u.name ?? u.file)} ${statusCell(u.status)}</h2>`);
  const links = [`<code>${escapeHtml(u.file)}</code>`];
  if (u.graphPage) links.push(`<a href="${escapeHtml(u.graphPage)}">model graph</a>`);
  parts.push(`<p>${links.join(' · ')}</p>`);
  parts.push(`<table class="stages"><thead><tr><th scope="col">stage</th><th scope="col">status</th><th scope="col">detail</th></tr></thead><tbody>
${u.stages.map((s) => `<tr><td>${escapeHtml(s.name)}</td><td class="${escapeHtml(s.status)}"><b>${escapeHtml(s.status)}</b></td><td>${escapeHtml(s.detail)}</td></tr>`).join('\n')}
</tbody></table>`);
  const charts: string[] = [];
  const chart = (kind: string, title: string, height = 260) =>
    charts.push(`<div class="chart"><h4>${escapeHtml(title)}</h4><canvas id="${chartId(index, kind)}" width="540" height="${height}"></canvas></div>`);
  if (u.quantize) {
    const q = u.quantize;
    const sqnr = q.outputSqnrDb === null ? 'unknown' : `${q.outputSqnrDb.toFixed(1)} dB`;
    const gate = q.minSqnrDb === undefined ? '' : ` (gate ≥ ${q.minSqnrDb} dB ${q.outputSqnrDb !== null && q.outputSqnrDb >= q.minSqnrDb ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'})`;
    const size = q.sizeBefore !== undefined && q.sizeAfter !== undefined ? `; ${formatBytes(q.sizeBefore, 1)} → ${formatBytes(q.sizeAfter, 1)}` : '';
    parts.push(`<h3>Quantization</h3><p>${escapeHtml(q.precision)}: output SQNR ${escapeHtml(sqnr)}${gate}${escapeHtml(size)}${q.synthetic ? ' <span class="note">calibrated and judged on synthetic data</span>' : ''}</p>`);
    if (q.layers.length > 0) chart('sqnr', 'SQNR per layer (dB), in graph order');
  }
  if (u.profile && u.profile.length > 0) {
    const rows = u.profile.map(
      (t) =>
        `<tr><td>${escapeHtml(t.target)}</td><td class="num">${ms(t.latencyMs)}${t.latencyBudgetMs !== undefined ? ` / ${ms(t.latencyBudgetMs)}` : ''}</td><td class="num">${escapeHtml(formatBytes(t.peakMemoryBytes, 1))}${t.memoryBudgetBytes !== undefined ? ` / ${escapeHtml(formatBytes(t.memoryBudgetBytes, 1))}` : ''}</td><td class="num">${watts(t.powerW)}${t.powerBudgetW !== undefined ? ` / ${watts(t.powerBudgetW)}` : ''}</td><td>${check(t.fits)}</td></tr>`,
    );
    parts.push(`<h3>Profile against budgets</h3><table class="profile"><thead><tr><th scope="col">target</th><th scope="col">latency ms (budget)</th><th scope="col">peak memory (budget)</th><th scope="col">power (budget)</th><th scope="col">fits</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`);
    // A bar pair per target: the chart grows with the targets instead of stretching one bar.
    chart('profile', 'Estimated latency against budget (ms)', 70 + 44 * u.profile.length);
  }
  if (u.split) {
    const best = u.split.cuts[u.split.best];
    parts.push(`<h3>Vehicle–cloud split</h3><p>best cut: ${escapeHtml(best?.label ?? '?')}, ${best ? ms(best.totalMs) : '?'} ms end to end (cloud: ${escapeHtml(u.split.cloudTarget)})</p>`);
    chart('split', 'End-to-end latency per cut (ms)');
  }
  if (u.ecu) {
    const e = u.ecu;
    const memory = e.memoryBytes !== undefined && e.memoryCapacityBytes !== undefined ? `; memory ${escapeHtml(formatBytes(e.memoryBytes, 1))} of ${escapeHtml(formatBytes(e.memoryCapacityBytes, 1))}` : '';
    parts.push(`<h3>ECU load</h3><p>${escapeHtml(e.ecu)} on ${escapeHtml(e.soc)}: ${e.fits ? '<span class="ok">' : '<span class="bad">'}${escapeHtml(e.verdict)}</span>; use cases on it: ${escapeHtml(e.useCases.join(', '))}${memory}</p>`);
    chart('ecu', 'Engine utilisation of the ECU (%)');
  }
  if (u.release) {
    const r = u.release;
    parts.push(`<h3>Release</h3><p><code>${escapeHtml(r.reference)}</code> version ${escapeHtml(r.version)}${r.channel ? `, channel ${escapeHtml(r.channel)}` : ''}<br>digest <code>${escapeHtml(r.digest)}</code></p>`);
  }
  if (u.replay) {
    const p = u.replay;
    const optional = (v: number | undefined, show: (v: number) => string) => (v === undefined ? '' : show(v));
    const rows = p.triggers.map(
      (t) =>
        `<tr><td><code>${escapeHtml(t.when)}</code></td><td class="num">${t.fired}</td><td class="num">${t.perHour.toFixed(2)}</td><td class="num">${optional(t.capturesPerDay, (v) => v.toFixed(1))}</td><td class="num">${optional(t.maxPerDay, String)}</td><td>${t.capturesPerDay !== undefined && t.maxPerDay !== undefined ? check(t.capturesPerDay <= t.maxPerDay) : ''}</td><td class="num">${optional(t.uplinkBytesPerDay, (v) => escapeHtml(formatBytes(v, 1)))}</td></tr>`,
    );
    const assumed = p.rate !== undefined && p.hoursPerDay !== undefined ? ` at ${p.rate}/s, ${p.hoursPerDay} h of operation per day` : '';
    parts.push(`<h3>Closed-loop data</h3><p>${p.samples} recorded samples replayed${assumed}; ${p.capturesPerDay.toFixed(1)} captures/day (each trigger capped at its maxPerDay), ${escapeHtml(formatBytes(p.uplinkBytesPerDay, 1))} uplink/day; every trigger within its maxPerDay ${check(p.withinMaxPerDay)}</p>
<table class="triggers"><thead><tr><th scope="col">trigger</th><th scope="col">fired</th><th scope="col">per hour</th><th scope="col">captures/day</th><th scope="col">maxPerDay</th><th scope="col">within</th><th scope="col">uplink/day</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  if (charts.length > 0) parts.push(`<div class="charts">${charts.join('')}</div>`);
  return `<section class="usecase">${parts.join('\n')}</section>`;
}

/**
 * The `aios run` report (reports/index.html): a summary table on top, then per use case its
 * stages and figures; tables are static HTML, charts are drawn by the report bundle (chart.js)
 * from inert JSON. Self-contained: the policy allows no network; the script is inline under
 * the page's nonce. Without `appScript` the page is the tables alone.
 */
export function renderRunReport(report: RunReport, appScript?: string): string {
  const count = report.useCases.length;
  return pageHtml({
    title: 'AIOS pipeline report',
    style,
    body: `<h1>AIOS pipeline report</h1>
<p>${count} use case${count === 1 ? '' : 's'}, generated ${escapeHtml(report.generatedAt)}.</p>
${summaryTable(report)}
${report.useCases.map(useCaseSection).join('\n')}
`,
    data: appScript === undefined ? [] : [{ id: 'aios-report-data', type: 'application/json', text: asciiJson(report).replace(/</g, '\\u003c') }],
    scripts: appScript === undefined ? [] : [{ inline: appScript }],
  });
}
