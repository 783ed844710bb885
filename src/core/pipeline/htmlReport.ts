import { escapeHtml, pageHtml } from '../webview/pageHtml';
import type { StageResult } from './pipeline';

export interface ReportUseCase {
  /** As shown: relative to the folder the run started in. */
  readonly file: string;
  readonly status: string;
  readonly stages: readonly StageResult[];
}

/** The `aios run` report (reports/index.html): one row per use case, one cell per stage with its detail. Self-contained, no script. */
export function renderRunReport(useCases: readonly ReportUseCase[], generatedAt: string): string {
  const stages = useCases[0]?.stages.map((s) => s.name) ?? [];
  const rows = useCases
    .map((u) => {
      const cells = u.stages.map((s) => `<td class="${s.status}"><b>${escapeHtml(s.status)}</b><br>${escapeHtml(s.detail)}</td>`).join('');
      return `<tr><th scope="row">${escapeHtml(u.file)}</th><td class="${u.status}"><b>${escapeHtml(u.status)}</b></td>${cells}</tr>`;
    })
    .join('\n');
  return pageHtml({
    title: 'AIOS pipeline report',
    scripts: [],
    style: `body { font: 14px system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 6px 10px; text-align: left; vertical-align: top; }
.passed b { color: #1a7f37; } .failed b { color: #cf222e; } .skipped b, .unavailable b, .incomplete b { color: #6e7781; }`,
    body: `<h1>AIOS pipeline report</h1>
<p>${useCases.length} use case${useCases.length === 1 ? '' : 's'}, generated ${escapeHtml(generatedAt)}.</p>
<table>
<thead><tr><th scope="col">use case</th><th scope="col">status</th>${stages.map((s) => `<th scope="col">${escapeHtml(s)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
`,
  });
}
