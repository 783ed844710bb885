import * as assert from 'node:assert/strict';
import { Rng } from '../../../src/core/onnx/builder';
import { entropyRange, percentileRange, SymmetricHistogram } from '../../../src/core/quantize/histogram';
import { activationParams, quantizeBias, quantizeWeights, roundHalfEven } from '../../../src/core/quantize/qparams';
import { ActivationStatistics } from '../../../src/core/quantize/statistics';

function addAll(h: SymmetricHistogram, values: Float32Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  h.add(values, lo, hi);
}

/** Normal values (Box-Muller from the seeded generator) so tails are real. */
function gaussian(count: number, seed: number, std = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = std * Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
  return out;
}

describe('calibration statistics', () => {
  it('histogram grows its range with later samples and keeps every count', () => {
    const h = new SymmetricHistogram(64, 256);
    addAll(h, Float32Array.of(-1, 0.5, 1));
    addAll(h, Float32Array.of(10, -3));
    addAll(h, Float32Array.of(1000));
    assert.equal(h.total, 6);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 6);
    assert.ok(h.threshold >= 1000 && h.bins <= 256);
    assert.equal(h.bins % 2, 0);
    assert.equal(h.min, -3);
    assert.equal(h.max, 1000);
    // 0 stays a bin edge.
    assert.ok(Math.abs(h.edge(h.bins / 2)) < 1e-9 * h.threshold);
  });

  it('percentile cuts the stated share from each tail, never past the data', () => {
    const h = new SymmetricHistogram();
    const values = new Float32Array(100_000);
    for (let i = 0; i < values.length; i++) values[i] = (i / values.length) * 2 - 1; // uniform on [-1, 1)
    values[0] = -50; // one outlier
    addAll(h, values);
    const [lo, hi] = percentileRange(h, 99.9);
    assert.ok(lo > -1.05 && lo < -0.99, `lo ${lo}`);
    assert.ok(hi < 1 && hi > 0.99, `hi ${hi}`);
    const [lo100, hi100] = percentileRange(h, 100);
    assert.equal(lo100, -50);
    assert.ok(hi100 <= h.max);
  });

  it('entropy keeps about 4 sigma of normal data, ignores a far outlier, and a ReLU output keeps its lower bound 0', () => {
    const normal = gaussian(200_000, 1);
    normal[5] = 40;
    const h = new SymmetricHistogram();
    addAll(h, normal);
    const [lo, hi] = entropyRange(h);
    assert.ok(hi > 2.5 && hi < 6, `hi ${hi}`);
    assert.ok(lo < -2.5 && lo >= -hi, `lo ${lo}`);
    const relu = gaussian(200_000, 2).map((v) => Math.max(0, v));
    const r = new SymmetricHistogram();
    addAll(r, relu);
    const [rlo, rhi] = entropyRange(r);
    assert.equal(rlo, 0);
    assert.ok(rhi > 2.5 && rhi <= r.max, `hi ${rhi}`);
  });

  it('statistics refuse NaN and infinity, naming the tensor', () => {
    const s = new ActivationStatistics('minmax');
    s.update('a', Float32Array.of(1, -2));
    s.update('a', Float32Array.of(3));
    assert.deepEqual(s.ranges().get('a'), { min: -2, max: 3 });
    assert.throws(() => s.update('conv1_out', Float32Array.of(1, NaN)), /conv1_out.*NaN/);
    assert.throws(() => s.update('b', Float32Array.of(Infinity)), /tensor b/);
  });
});

describe('quantization parameters (ONNX Runtime conventions)', () => {
  it('rounds half to even like QuantizeLinear', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven), [0, 2, 2, -0, -2, -2, 2, -3]);
  });

  it('uint8 asymmetric parameters include 0 in the range; int8 symmetric has zero point 0', () => {
    const u = activationParams({ min: -1, max: 3 }, 'uint8');
    assert.equal(u.scale, Math.fround(4 / 255));
    assert.equal(u.zeroPoint, 64);
    const positive = activationParams({ min: 2, max: 6 }, 'uint8');
    assert.equal(positive.zeroPoint, 0);
    assert.equal(positive.scale, Math.fround(6 / 255));
    const s = activationParams({ min: -1, max: 3 }, 'int8');
    assert.deepEqual([s.scale, s.zeroPoint], [Math.fround(3 / 127), 0]);
    assert.equal(activationParams({ min: 0, max: 0 }, 'uint8').scale, 1);
  });

  it('per-channel weights use each channel own absolute maximum over 127', () => {
    // dims [2, 3]: channel 0 = row 0 along axis 0; along axis 1 each column is a channel.
    const w = Float32Array.of(1, -2, 0.5, 0.1, 0.2, -4);
    const rows = quantizeWeights(w, [2, 3], 0);
    assert.deepEqual(Array.from(rows.scales), [Math.fround(2 / 127), Math.fround(4 / 127)]);
    assert.deepEqual(Array.from(rows.values), [64, -127, 32, 3, 6, -127]);
    const cols = quantizeWeights(w, [2, 3], 1);
    assert.deepEqual(Array.from(cols.scales), [1, 2, 4].map((m) => Math.fround(m / 127)));
    const whole = quantizeWeights(w, [2, 3], undefined);
    assert.equal(whole.scales.length, 1);
    assert.equal(whole.values[5], -127);
  });

  it('bias is int32 at input scale times weight scale', () => {
    const b = quantizeBias(Float32Array.of(0.3, -1), 0.01, Float32Array.of(0.5, 0.25));
    assert.deepEqual(Array.from(b.scales), [Math.fround(0.005), Math.fround(0.0025)]);
    assert.deepEqual(Array.from(b.values), [60, -400]);
  });
});
