/**
 * A histogram of one activation tensor, updated sample by sample (never holding the samples).
 * Its range is symmetric around 0 and grows with the data, as ONNX Runtime's calibrate.py
 * HistogramCollector does: when a sample reaches past the range, bins of the same width are
 * added on both sides. Past `maxBins` neighbouring bins are merged in pairs, so memory stays
 * bounded whatever the data. 0 is always a bin edge (the bin count is even).
 */
export class SymmetricHistogram {
  counts: Float64Array;
  /** Half-width of the range: bins cover [-threshold, threshold). */
  threshold = 0;
  min = Infinity;
  max = -Infinity;
  total = 0;

  constructor(
    readonly initialBins = 2048,
    readonly maxBins = 8192,
  ) {
    this.counts = new Float64Array(initialBins);
  }

  get bins(): number {
    return this.counts.length;
  }

  get stride(): number {
    return (2 * this.threshold) / this.counts.length;
  }

  /** Lower edge of bin `index`. */
  edge(index: number): number {
    return -this.threshold + index * this.stride;
  }

  /** Adds every value of `values` (already known to hold no NaN); `lo`/`hi` are its min and max. */
  add(values: Float32Array, lo: number, hi: number): void {
    if (values.length === 0) return;
    this.min = Math.min(this.min, lo);
    this.max = Math.max(this.max, hi);
    const t = Math.max(Math.abs(lo), Math.abs(hi));
    if (this.total === 0 || this.threshold === 0) {
      const before = this.total;
      this.counts = new Float64Array(this.initialBins);
      this.threshold = t;
      if (before > 0) this.counts[this.initialBins / 2] = before; // everything seen so far was 0
    } else if (t > this.threshold) this.grow(t);
    this.total += values.length;
    if (this.threshold === 0) {
      this.counts[this.counts.length / 2]! += values.length;
      return;
    }
    const counts = this.counts;
    const last = counts.length - 1;
    const inv = counts.length / (2 * this.threshold);
    const offset = this.threshold;
    for (let i = 0; i < values.length; i++) {
      let k = Math.floor((values[i]! + offset) * inv);
      if (k > last) k = last;
      else if (k < 0) k = 0;
      counts[k]!++;
    }
  }

  private grow(t: number): void {
    const stride = this.stride;
    const half = Math.floor((t - this.threshold) / stride) + 1;
    const grown = new Float64Array(this.counts.length + 2 * half);
    grown.set(this.counts, half);
    this.counts = grown;
    this.threshold += half * stride;
    while (this.counts.length > this.maxBins) this.halve();
  }

  /** Merges bins in pairs; first pads one bin on each side when needed to keep 0 on an edge. */
  private halve(): void {
    let counts = this.counts;
    if (counts.length % 4 !== 0) {
      const padded = new Float64Array(counts.length + 2);
      padded.set(counts, 1);
      this.threshold += this.stride;
      counts = padded;
    }
    const merged = new Float64Array(counts.length / 2);
    for (let k = 0; k < merged.length; k++) merged[k] = counts[2 * k]! + counts[2 * k + 1]!;
    this.counts = merged;
  }
}

/** The range keeping `percentile`% of the values: (100 - p) / 2 % cut from each tail, never past min/max. */
export function percentileRange(h: SymmetricHistogram, percentile: number): [number, number] {
  if (h.total === 0) return [0, 0];
  const cut = ((100 - percentile) / 200) * h.total;
  let seen = 0;
  let lowIndex = 0;
  for (; lowIndex < h.bins; lowIndex++) {
    seen += h.counts[lowIndex]!;
    if (seen > cut) break;
  }
  seen = 0;
  let highIndex = h.bins - 1;
  for (; highIndex >= 0; highIndex--) {
    seen += h.counts[highIndex]!;
    if (seen > cut) break;
  }
  return [Math.max(h.min, h.edge(lowIndex)), Math.min(h.max, h.edge(highIndex + 1))];
}

/**
 * The clipping range that minimises the KL divergence between the histogram and its
 * quantized version with `levels` levels (the TensorRT / ORT calibrate.py entropy method).
 * Windows are symmetric around 0, or [0, w) when the tensor has no negative values (a ReLU
 * output quantized to uint8 then spends all its levels on the positive side).
 */
export function entropyRange(h: SymmetricHistogram, levels = 128): [number, number] {
  if (h.total === 0 || h.threshold === 0) return [Math.min(0, h.min), Math.max(0, h.max)];
  const zero = h.bins / 2;
  const oneSided = h.min >= 0;
  const minWidth = oneSided ? levels : Math.ceil(levels / 2);
  const maxWidth = zero;
  if (maxWidth <= minWidth) return [h.min, h.max];
  const window = (w: number): [number, number] => (oneSided ? [zero, zero + w] : [zero - w, zero + w]);
  // Exact zeros (ReLU outputs, padding) pile up in the bins beside 0; that spike would make every
  // window that merges it look bad, so it counts like its neighbours (as pytorch-quantization does).
  const counts = Float64Array.from(h.counts);
  counts[zero] = counts[zero + 1]!;
  if (!oneSided) counts[zero - 1] = counts[zero - 2]!;
  const kl = (w: number) => divergence(counts, ...window(w), levels);
  // Coarse scan, then every width around the best coarse one.
  const step = Math.max(1, Math.floor((maxWidth - minWidth) / 128));
  let best = minWidth;
  let bestKl = Infinity;
  for (let w = minWidth; w <= maxWidth; w += step) {
    const d = kl(w);
    if (d < bestKl) [best, bestKl] = [w, d];
  }
  for (let w = Math.max(minWidth, best - step + 1); w <= Math.min(maxWidth, best + step - 1); w++) {
    const d = kl(w);
    if (d < bestKl) [best, bestKl] = [w, d];
  }
  const [from, to] = window(best);
  return [Math.max(h.min, oneSided ? 0 : h.edge(from)), Math.min(h.max, h.edge(to))];
}

/** KL(P || Q) of the window [from, to) with outliers folded into its end bins, Q = P quantized to `levels` chunks. */
function divergence(counts: Float64Array, from: number, to: number, levels: number): number {
  const size = to - from;
  const p = new Float64Array(size);
  for (let k = 0; k < size; k++) p[k] = counts[from + k]!;
  for (let k = 0; k < from; k++) p[0]! += counts[k]!;
  for (let k = to; k < counts.length; k++) p[size - 1]! += counts[k]!;
  const q = new Float64Array(size);
  const merged = Math.floor(size / levels);
  for (let level = 0; level < levels; level++) {
    const start = level * merged;
    const end = level === levels - 1 ? size : start + merged;
    let sum = 0;
    let nonzero = 0;
    // Q's chunks come from the sliced histogram without the folded outliers, as in calibrate.py.
    for (let k = start; k < end; k++) {
      sum += counts[from + k]!;
      if (p[k]! !== 0) nonzero++;
    }
    if (nonzero === 0) continue;
    const share = sum / nonzero;
    for (let k = start; k < end; k++) if (p[k]! !== 0) q[k] = share;
  }
  return klDivergence(p, q);
}

/** scipy.stats.entropy(p, q) after calibrate.py's smooth_distribution (eps 1e-4 moved onto empty bins). */
function klDivergence(p: Float64Array, q: Float64Array): number {
  const ps = smooth(p);
  const qs = smooth(q);
  if (ps === undefined || qs === undefined) return Infinity;
  let pSum = 0;
  let qSum = 0;
  for (let k = 0; k < ps.length; k++) {
    pSum += ps[k]!;
    qSum += qs[k]!;
  }
  let d = 0;
  for (let k = 0; k < ps.length; k++) {
    const pk = ps[k]! / pSum;
    if (pk > 0) d += pk * Math.log(pk / (qs[k]! / qSum));
  }
  return d;
}

function smooth(values: Float64Array, eps = 1e-4): Float64Array | undefined {
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  const nonzeros = values.length - zeros;
  if (nonzeros === 0) return undefined;
  const eps1 = (eps * zeros) / nonzeros;
  if (eps1 >= 1) return undefined;
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = values[k] === 0 ? eps : values[k]! - eps1;
  return out;
}
