import { isMapping } from '../../diagnostics/rawValues';
import { formatMs, shortTarget } from '../../profile/budgets';

/** What the newest current result of a use case shows on it: one line, and problems for diagnostics. */
export interface InlineResult {
  /** `run ✓ validate ✓ inspect ✓ quantize –`: one line for a code lens. */
  readonly text: string;
  /** Sentences for warnings on the use case (a failed stage, a budget missed). */
  readonly problems: readonly string[];
}

const marks: Record<string, string> = { passed: '✓', failed: '✗', skipped: '·', unavailable: '–' };

/**
 * The inline view of a run summary for one use case (`file` absolute, as in the summary).
 * Kinds with a summary of their own shape add a branch here when they land; others show
 * `<kind> ✓`.
 */
export function inlineResult(kind: string, summary: unknown, file: string): InlineResult {
  if (kind === 'run' && isMapping(summary) && Array.isArray(summary.useCases)) {
    const entry = summary.useCases.filter(isMapping).find((u) => u.file === file);
    const stages = Array.isArray(entry?.stages) ? entry.stages.filter(isMapping) : [];
    if (stages.length > 0) {
      // Stage results name themselves `name` (SPEC §3); older records say `stage`.
      const name = (s: Record<string, unknown>) => String(s.name ?? s.stage);
      const text = stages.map((s) => `${name(s)} ${marks[String(s.status)] ?? String(s.status)}`).join('  ');
      const problems = stages.filter((s) => s.status === 'failed').map((s) => `The last pipeline run failed at ${name(s)}: ${String(s.detail)}`);
      return { text: `pipeline: ${text}`, problems };
    }
  }
  // Budgets and the SQNR gate are shown at their own lines (extension/results); here one summary line.
  if (kind === 'quantize' && isMapping(summary) && typeof summary.precision === 'string') {
    const sqnr = typeof summary.outputSqnrDb === 'number' ? `${summary.outputSqnrDb.toFixed(1)} dB` : summary.outputSqnrDb === null ? 'exact' : '?';
    const gate = summary.gatePassed === false ? ` ✗ < ${String(summary.minSqnrDb)} dB` : summary.gatePassed === true ? ' ✓' : '';
    return { text: `quantize ${summary.precision}: output SQNR ${sqnr}${gate}`, problems: [] };
  }
  if (kind === 'profile' && isMapping(summary) && Array.isArray(summary.results) && summary.results.length > 0) {
    const rows = summary.results.filter(isMapping).map((r) => {
      const over = isMapping(r.fits) && Object.values(r.fits).some((f) => f === false);
      return `${shortTarget(String(r.target))} ${typeof r.latencyMs === 'number' ? formatMs(r.latencyMs) : '?'} ms ${over ? '✗' : '✓'}`;
    });
    const ecu = isMapping(summary.ecu) ? ` · ECU ${String(summary.ecu.ecu)} ${summary.ecu.verdict === 'fits' ? 'fits' : 'overloaded'}` : '';
    return { text: `profile: ${rows.join('  ')}${ecu}`, problems: [] };
  }
  return { text: `${kind} ✓`, problems: [] };
}
