/** What a progress line shows; the runner's progress events carry these fields. */
export interface ProgressView {
  readonly stage: string;
  /** 0..1, or undefined while the stage cannot say how far it is. */
  readonly fraction?: number | undefined;
  readonly message?: string | undefined;
}

const barWidth = 20;

const known = (fraction: number | undefined): fraction is number => fraction !== undefined && Number.isFinite(fraction);
const clamp = (fraction: number) => Math.min(1, Math.max(0, fraction));

/** `42%`, floored (100% only when done); `…` when the job cannot tell. */
export function formatPercent(fraction: number | undefined): string {
  return known(fraction) ? `${Math.floor(clamp(fraction) * 100)}%` : '…';
}

/** `[########------------]  42%`; an unknown fraction shows an empty bar and `  …`. */
export function progressBar(fraction: number | undefined): string {
  if (!known(fraction)) return `[${' '.repeat(barWidth)}]    …`;
  const filled = Math.round(clamp(fraction) * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${formatPercent(fraction).padStart(4)}`;
}

/**
 * One line of progress for a terminal `columns` wide: bar, stage, message, elapsed time.
 * Never wider than the terminal, so rewriting it in place (`\r`) never wraps.
 */
export function progressLine(progress: ProgressView, elapsed: string, columns: number): string {
  const text = [progressBar(progress.fraction), progress.stage, progress.message ? `· ${progress.message}` : '', `(${elapsed})`]
    .filter((part) => part !== '')
    .join(' ');
  const width = Math.max(10, columns - 1);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
