/**
 * Measured speeds of kernel kinds at a few shapes, and the speed at any other shape: a simple,
 * explainable kernel predictor in the spirit of nn-Meter's. The rate at (k, n, m) is the
 * inverse-distance-weighted geometric mean of the `neighbours` nearest measured points of the
 * same kind, distances in log2 units of each figure (so 16 -> 64 channels counts as far as
 * 64 -> 256). Outside the measured range the nearest points dominate: rates are never
 * extrapolated beyond what was measured.
 */
import type { KernelKind } from './kernelKinds';

export interface RatePoint {
  readonly kind: KernelKind;
  readonly dims: readonly [number, number, number];
  /** FLOPs/s (dense kinds) or bytes/s (memory-bound kinds) measured at `dims`. */
  readonly rate: number;
}

const neighbours = 4;

const log2 = (x: number) => Math.log2(Math.max(1, x));

/** The rate of `kind` at `dims`; undefined when no point of that kind was measured. */
export function interpolateRate(points: readonly RatePoint[], kind: KernelKind, dims: readonly [number, number, number]): number | undefined {
  const ofKind = points.filter((p) => p.kind === kind && p.rate > 0);
  if (ofKind.length === 0) return undefined;
  const at = dims.map(log2);
  const near = ofKind
    .map((p) => ({ p, d2: p.dims.reduce((s, d, i) => s + (log2(d) - at[i]!) ** 2, 0) }))
    .sort((a, b) => a.d2 - b.d2)
    .slice(0, neighbours);
  if (near[0]!.d2 < 1e-9) return near[0]!.p.rate;
  let weights = 0;
  let logRate = 0;
  for (const { p, d2 } of near) {
    const w = 1 / d2;
    weights += w;
    logRate += w * Math.log(p.rate);
  }
  return Math.exp(logRate / weights);
}
