import { formatTable } from '../../text/table';
import { formatDuration } from './duration';
import { isMapping } from '../../diagnostics/rawValues';

/** What the end of a task's terminal shows about its run. */
export interface RunOutcomeView {
  readonly kind: string;
  readonly status: string;
  readonly durationMs?: number | undefined;
  readonly runId?: string | undefined;
  readonly logPath?: string | undefined;
  /** The job's summary (kind-specific JSON). */
  readonly summary?: unknown;
  /** Why it failed, when it did. */
  readonly error?: string | undefined;
}

type Row = readonly [string, string];

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Scalars (nested objects flattened to `a.b`) as rows; lists of objects as tables of their own. */
function flatten(value: Record<string, unknown>, prefix: string, rows: Row[], tables: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v) && v.length > 0 && v.every(isMapping)) tables.push(`${name}\n${recordTable(v)}`);
    else if (Array.isArray(v)) rows.push([name, v.map(cell).join(', ')]);
    else if (isMapping(v)) flatten(v, name, rows, tables);
    else rows.push([name, cell(v)]);
  }
}

function recordTable(records: ReadonlyArray<Record<string, unknown>>): string {
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return formatTable(header, records.map((r) => header.map((h) => cell(r[h]))));
}

/** `aios run`'s summary: one row per use case, one column per stage (as the CLI prints it). */
function pipelineTable(summary: unknown): string | undefined {
  if (!isMapping(summary) || !Array.isArray(summary.useCases)) return undefined;
  const useCases = summary.useCases.filter(isMapping);
  const stagesOf = (u: Record<string, unknown>) => (Array.isArray(u.stages) ? u.stages.filter(isMapping) : []);
  const stageName = (s: Record<string, unknown>) => cell(s.name ?? s.stage);
  const names = [...new Set(useCases.flatMap((u) => stagesOf(u).map(stageName)))];
  if (names.length === 0) return undefined;
  return formatTable(
    ['use case', ...names],
    useCases.map((u) => [cell(u.file), ...names.map((n) => cell(stagesOf(u).find((s) => stageName(s) === n)?.status))]),
  );
}

/**
 * The closing block of a task's terminal: what ran, how it ended and how long it took, then
 * the job's summary as a table (kind-specific where one exists, else its fields flattened).
 */
export function summaryReport(outcome: RunOutcomeView): string {
  const rows: Row[] = [
    ['status', outcome.status],
    ...(outcome.durationMs !== undefined ? [['duration', formatDuration(outcome.durationMs)] as const] : []),
    ...(outcome.runId ? [['run', outcome.runId] as const] : []),
    ...(outcome.logPath ? [['log', outcome.logPath] as const] : []),
    ...(outcome.error ? [['error', outcome.error] as const] : []),
  ];
  const tables: string[] = [];
  const pipeline = outcome.kind === 'run' ? pipelineTable(outcome.summary) : undefined;
  if (pipeline) tables.push(pipeline);
  else if (isMapping(outcome.summary)) flatten(outcome.summary, '', rows, tables);
  else if (outcome.summary !== undefined && outcome.summary !== null) rows.push(['summary', cell(outcome.summary)]);
  const keyWidth = Math.max(...rows.map(([key]) => key.length));
  const fields = rows.map(([key, value]) => `${key.padEnd(keyWidth)}  ${value}`.trimEnd());
  return [`aios ${outcome.kind}: ${outcome.status}`, ...fields, ...tables.map((t) => `\n${t.trimEnd()}`)].join('\n') + '\n';
}
