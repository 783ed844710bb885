/** Counts and byte sizes for one-line summaries (`aios inspect`, the pipeline's inspect stage). */

/** 11.00 M, 1.23 G, ... followed by the unit: `formatCount(11e6, 'FLOPs')` = '11.00 MFLOPs'. */
export function formatCount(n: number, unit = '', digits = 2): string {
  const scaled: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [f, p] of scaled) if (n >= f) return `${(n / f).toFixed(digits)} ${p}${unit}`;
  return `${n} ${unit}`.trimEnd();
}

/** Binary units: `formatBytes(3 * 2 ** 20)` = '3.00 MiB'. */
export function formatBytes(n: number, digits = 2): string {
  const scaled: Array<[number, string]> = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [f, p] of scaled) if (n >= f) return `${(n / f).toFixed(digits)} ${p}`;
  return `${n} B`;
}
