/**
 * Histograms of a tensor's values in both models, on shared bins: the range is fixed by the
 * first sample (fp32 and quantized values together, widened by 5% each side); later values
 * outside it land in the first or last bin. Streaming: nothing but the counts is kept.
 */
export interface HistogramPair {
  readonly min: number;
  readonly max: number;
  readonly fp32: number[];
  readonly quant: number[];
}

export const histogramBins = 48;

export class HistogramAccumulator {
  private range: { min: number; max: number } | undefined;
  private readonly fp32 = new Array<number>(histogramBins).fill(0);
  private readonly quant = new Array<number>(histogramBins).fill(0);

  add(reference: ArrayLike<number>, test: ArrayLike<number>): void {
    if (!this.range) {
      let min = Infinity;
      let max = -Infinity;
      for (const values of [reference, test]) {
        for (let i = 0; i < values.length; i++) {
          const v = values[i] as number;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      if (!Number.isFinite(min) || !Number.isFinite(max)) return;
      const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
      this.range = { min: min - pad, max: max + pad };
    }
    count(reference, this.range, this.fp32);
    count(test, this.range, this.quant);
  }

  result(): HistogramPair | undefined {
    return this.range && { min: this.range.min, max: this.range.max, fp32: [...this.fp32], quant: [...this.quant] };
  }
}

function count(values: ArrayLike<number>, range: { min: number; max: number }, bins: number[]): void {
  const scale = histogramBins / (range.max - range.min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    const bin = Math.min(histogramBins - 1, Math.max(0, Math.floor((v - range.min) * scale)));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
}
