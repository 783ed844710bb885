import { terminalText } from './terminalText';

/**
 * Left-aligned text table with a header rule, for human output. Cells are shown through
 * terminalText: a name holding a newline or an escape sequence cannot forge rows or drive the terminal.
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const safeRows = rows.map((r) => r.map(terminalText));
  const widths = header.map((h) => h.length);
  for (const r of safeRows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...safeRows.map(line)].join('\n') + '\n';
}
