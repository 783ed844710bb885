/**
 * Streaming error metrics between a reference tensor (fp32 model) and a test tensor
 * (quantized model), fed one sample at a time and never holding more than the current one.
 *
 * - SQNR is pooled over samples: 10·log10(Σ reference² / Σ (reference − test)²) over every
 *   element of every sample, so a sample with a large signal is not drowned by a near-silent one.
 * - Cosine similarity is that of the two tensors concatenated over all samples.
 * - Decision agreement (classifier outputs): the share of rows whose arg max along the class
 *   axis is the same in both.
 */

export interface ErrorMetrics {
  /** dB; Infinity when the test equals the reference exactly; -Infinity when the reference is all zeros but the test is not. */
  readonly sqnrDb: number;
  /** In [-1, 1]; 1 when both are all zeros. */
  readonly cosine: number;
  readonly maxAbsErr: number;
  /** Elements compared, over all samples. */
  readonly elements: number;
  readonly samples: number;
  /** Elements where either side was NaN or ±Inf (left out of the sums above). */
  readonly nonFinite: number;
}

type Numeric = ArrayLike<number>;

export class ErrorAccumulator {
  private signal = 0;
  private error = 0;
  private dot = 0;
  private testEnergy = 0;
  private maxAbs = 0;
  private count = 0;
  private sampleCount = 0;
  private nonFinite = 0;

  /** Adds one sample's pair of tensors (same number of elements, same layout). */
  add(reference: Numeric, test: Numeric): void {
    if (reference.length !== test.length) {
      throw new Error(`cannot compare tensors of ${reference.length} and ${test.length} elements`);
    }
    // Per-sample partial sums in locals keep the loop tight; then folded into the totals.
    let signal = 0, error = 0, dot = 0, testEnergy = 0, maxAbs = this.maxAbs, nonFinite = 0;
    for (let i = 0; i < reference.length; i++) {
      const r = reference[i] as number;
      const t = test[i] as number;
      const d = r - t;
      if (!Number.isFinite(d)) {
        nonFinite++;
        continue;
      }
      signal += r * r;
      error += d * d;
      dot += r * t;
      testEnergy += t * t;
      const a = d < 0 ? -d : d;
      if (a > maxAbs) maxAbs = a;
    }
    this.signal += signal;
    this.error += error;
    this.dot += dot;
    this.testEnergy += testEnergy;
    this.maxAbs = maxAbs;
    this.count += reference.length - nonFinite;
    this.nonFinite += nonFinite;
    this.sampleCount++;
  }

  get samples(): number {
    return this.sampleCount;
  }

  result(): ErrorMetrics {
    return {
      sqnrDb: sqnrDb(this.signal, this.error),
      cosine: cosine(this.dot, this.signal, this.testEnergy),
      maxAbsErr: this.maxAbs,
      elements: this.count,
      samples: this.sampleCount,
      nonFinite: this.nonFinite,
    };
  }
}

export function sqnrDb(signalEnergy: number, errorEnergy: number): number {
  if (errorEnergy === 0) return Infinity;
  if (signalEnergy === 0) return -Infinity;
  return 10 * Math.log10(signalEnergy / errorEnergy);
}

function cosine(dot: number, a: number, b: number): number {
  if (a === 0 && b === 0) return 1;
  if (a === 0 || b === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(a * b)));
}

export interface DecisionMetrics {
  /** Share of rows with the same arg max, in [0, 1]. */
  readonly agreement: number;
  readonly rows: number;
  readonly agreeing: number;
}

/**
 * Decision agreement for outputs with a class axis: `dims` of one sample's tensor and the axis
 * holding the classes (default the last). Every position of the other axes is one decision.
 */
export class DecisionAccumulator {
  private rows = 0;
  private agreeing = 0;

  constructor(private readonly classAxis?: number) {}

  add(reference: Numeric, test: Numeric, dims: readonly number[]): void {
    const axis = this.classAxis ?? dims.length - 1;
    const classes = dims[axis] ?? 1;
    const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    if (reference.length !== test.length || reference.length !== outer * classes * inner) {
      throw new Error(`decision agreement: ${reference.length} and ${test.length} elements do not fit dims [${dims.join(', ')}]`);
    }
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * classes * inner + j;
        if (argMax(reference, base, classes, inner) === argMax(test, base, classes, inner)) this.agreeing++;
        this.rows++;
      }
    }
  }

  result(): DecisionMetrics {
    return { agreement: this.rows === 0 ? 1 : this.agreeing / this.rows, rows: this.rows, agreeing: this.agreeing };
  }
}

function argMax(values: Numeric, base: number, count: number, stride: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let c = 0; c < count; c++) {
    const v = values[base + c * stride] as number;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

/**
 * Whether an output looks like a classifier's scores: [classes] or [batch, classes] with at
 * least two classes. Returns the class axis, or undefined when decision agreement does not apply.
 */
export function classAxisOf(dims: readonly number[]): number | undefined {
  if (dims.length === 1 && (dims[0] ?? 0) >= 2) return 0;
  if (dims.length === 2 && (dims[1] ?? 0) >= 2) return 1;
  return undefined;
}
