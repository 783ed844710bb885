/** Per-tensor calibration statistics, updated one sample at a time. */
import { entropyRange, percentileRange, SymmetricHistogram } from './histogram';

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

export interface TensorRange {
  readonly min: number;
  readonly max: number;
}

/** The percentile ORT's calibrate.py uses by default. */
export const DEFAULT_PERCENTILE = 99.999;

export class ActivationStatistics {
  private readonly minMax = new Map<string, { min: number; max: number }>();
  private readonly histograms = new Map<string, SymmetricHistogram>();

  constructor(readonly method: CalibrationMethod) {}

  /**
   * Adds one sample of tensor `name`. Throws on NaN or infinity (a range cannot be calibrated
   * from them), saying which tensor.
   */
  update(name: string, values: Float32Array): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== v) throw new Error(`tensor ${name} holds NaN values; calibration needs finite activations`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (values.length > 0 && !(Number.isFinite(lo) && Number.isFinite(hi))) {
      throw new Error(`tensor ${name} holds NaN or infinite values; calibration needs finite activations`);
    }
    if (values.length === 0) return;
    const seen = this.minMax.get(name);
    if (seen === undefined) this.minMax.set(name, { min: lo, max: hi });
    else {
      seen.min = Math.min(seen.min, lo);
      seen.max = Math.max(seen.max, hi);
    }
    if (this.method === 'minmax') return;
    let h = this.histograms.get(name);
    if (h === undefined) this.histograms.set(name, (h = new SymmetricHistogram()));
    h.add(values, lo, hi);
  }

  has(name: string): boolean {
    return this.minMax.has(name);
  }

  /** The calibrated range of every tensor seen, by the method given at construction. */
  ranges(percentile = DEFAULT_PERCENTILE): Map<string, TensorRange> {
    const out = new Map<string, TensorRange>();
    for (const [name, mm] of this.minMax) {
      const h = this.histograms.get(name);
      if (h === undefined) {
        out.set(name, { ...mm });
        continue;
      }
      const [min, max] = this.method === 'percentile' ? percentileRange(h, percentile) : entropyRange(h);
      out.set(name, { min, max });
    }
    return out;
  }
}
