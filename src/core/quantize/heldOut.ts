/**
 * Which calibration samples set the ranges and which judge the result. The output SQNR of an
 * int8 model is measured on samples its ranges did not see (as ONNX Runtime's and Qualcomm's
 * guidance asks): the last quarter of the samples (at least one) is held out; with a single
 * sample, that sample does both (and the summary says so).
 */

export interface SampleSplit {
  /** The first `calibrate` samples set the ranges. */
  readonly calibrate: number;
  /** The last `judge` samples are run through the result for its SQNR. */
  readonly judge: number;
}

export function splitSamples(count: number): SampleSplit {
  if (count <= 1) return { calibrate: count, judge: count };
  const judge = Math.max(1, Math.floor(count / 4));
  return { calibrate: count - judge, judge };
}

/** What a summary's `calibration` says about the samples the SQNR was measured on. */
export interface JudgedSamples {
  readonly samples: number;
  /** Samples whose statistics set the ranges (0: the precision needs no calibration). Absent in older run records. */
  readonly calibrated?: number;
  /** Samples the output SQNR was measured on. Absent in older run records. */
  readonly judged?: number;
  readonly synthetic: boolean;
}

/** `on 8 held-out samples of 32`, `on the 1 calibration sample (too few to hold any out)`, `on 8 samples`. */
export function sqnrBasis(c: JudgedSamples): string {
  const kind = c.synthetic ? 'synthetic ' : '';
  const plural = (n: number) => (n === 1 ? '' : 's');
  if (c.judged === undefined || c.calibrated === undefined) return `on ${c.samples} ${kind}sample${plural(c.samples)}`;
  if (c.calibrated === 0) return `on ${c.judged} ${kind}sample${plural(c.judged)}`;
  if (c.calibrated + c.judged <= c.samples) return `on ${c.judged} held-out ${kind}sample${plural(c.judged)} of ${c.samples}`;
  return `on the ${c.judged} ${kind}calibration sample${plural(c.judged)} (${c.samples === 1 ? 'too few to hold any out' : 'none held out'})`;
}
