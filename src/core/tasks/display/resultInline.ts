import { isMapping } from '../../diagnostics/rawValues';

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
  return { text: `${kind} ✓`, problems: [] };
}
