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

  /** Histograms need every value; minmax only each sample's range. */
  get needsValues(): boolean {
    return this.method !== 'minmax';
  }

  /**
   * Adds one sample's range of tensor `name` (computed where the values are). Throws on NaN or
   * infinity (a range cannot be calibrated from them), saying which tensor.
   */
  range(name: string, lo: number, hi: number): void {
    if (lo !== lo || hi !== hi) throw new Error(`tensor ${name} holds NaN values; calibration needs finite activations`);
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new Error(`tensor ${name} holds NaN or infinite values; calibration needs finite activations`);
    const seen = this.minMax.get(name);
    if (seen === undefined) this.minMax.set(name, { min: lo, max: hi });
    else {
      if (lo < seen.min) seen.min = lo;
      if (hi > seen.max) seen.max = hi;
    }
  }

  /**
   * Adds one sample of tensor `name`; `range` is its min and max when already known (else the
   * values are scanned for them, and for NaN). Throws on NaN or infinity, saying which tensor.
   */
  update(name: string, values: Float32Array, range?: TensorRange): void {
    if (values.length === 0) return;
    const { min: lo, max: hi } = range ?? valueRange(values);
    this.range(name, lo, hi);
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

/** Min and max of `values`; NaN for both when one of them is NaN. */
export function valueRange(values: Float32Array): TensorRange {
  let lo = Infinity;
  let hi = -Infinity;
  let nan = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    nan ||= v !== v;
  }
  return nan ? { min: NaN, max: NaN } : { min: lo, max: hi };
}
