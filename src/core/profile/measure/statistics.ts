/** Order statistics and rank correlation for measured timings. */

/**
 * The q-quantile (0..1) of `values` by linear interpolation between closest ranks (the
 * definition numpy calls `linear`); undefined for no values.
 */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export function median(values: readonly number[]): number | undefined {
  return quantile(values, 0.5);
}

export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly runs: number;
}

/** p50/p90/p99 of timed runs in ms; throws on no runs (a caller bug: measuring always times at least one). */
export function latencyPercentiles(samplesMs: readonly number[]): LatencyPercentiles {
  if (samplesMs.length === 0) throw new Error('latencyPercentiles needs at least one timed run');
  return {
    p50Ms: quantile(samplesMs, 0.5) as number,
    p90Ms: quantile(samplesMs, 0.9) as number,
    p99Ms: quantile(samplesMs, 0.99) as number,
    runs: samplesMs.length,
  };
}

/** 1-based ranks; tied values share the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    i = j + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | undefined {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return undefined;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rank correlation of paired values: Pearson's correlation of their average ranks
 * (correct with ties). Undefined with fewer than 3 pairs or when either side is constant,
 * where a correlation says nothing.
 */
export function spearman(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new Error(`spearman: ${x.length} values against ${y.length}`);
  if (x.length < 3) return undefined;
  return pearson(averageRanks(x), averageRanks(y));
}
