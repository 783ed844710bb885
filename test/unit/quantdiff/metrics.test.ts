import * as assert from 'node:assert/strict';
import { classAxisOf, DecisionAccumulator, ErrorAccumulator } from '../../../src/core/quantdiff/metrics';
import { Rng } from '../../../src/core/onnx/builder/random';

describe('quantdiff metrics (streaming)', () => {
  it('pools SQNR over samples as total signal energy over total error energy, not a mean of per-sample dB', () => {
    const acc = new ErrorAccumulator();
    // Sample 1: signal 100, error 1 (20 dB); sample 2: signal 1, error 1 (0 dB). Pooled: 101 / 2.
    acc.add([10, 0], [9, 0]);
    acc.add([1, 0], [0, 0]);
    const r = acc.result();
    assert.ok(Math.abs(r.sqnrDb - 10 * Math.log10(101 / 2)) < 1e-9, String(r.sqnrDb));
    assert.notEqual(Math.round(r.sqnrDb), 10, 'not the mean of 20 dB and 0 dB');
    assert.equal(r.maxAbsErr, 1);
    assert.equal(r.samples, 2);
    assert.equal(r.elements, 4);
  });

  it('equals the metrics of all samples concatenated, computed directly', () => {
    const rng = new Rng(7);
    const acc = new ErrorAccumulator();
    const refAll: number[] = [];
    const testAll: number[] = [];
    for (let s = 0; s < 5; s++) {
      const ref = rng.normalArray(100, 1 + s);
      const test = ref.map((v) => v + 0.05 * rng.normal());
      acc.add(ref, test);
      refAll.push(...ref);
      testAll.push(...test);
    }
    const dot = refAll.reduce((sum, r, i) => sum + r * (testAll[i] ?? 0), 0);
    const nr = Math.sqrt(refAll.reduce((sum, r) => sum + r * r, 0));
    const nt = Math.sqrt(testAll.reduce((sum, t) => sum + t * t, 0));
    const err = refAll.reduce((sum, r, i) => sum + (r - (testAll[i] ?? 0)) ** 2, 0);
    const r = acc.result();
    assert.ok(Math.abs(r.sqnrDb - 10 * Math.log10((nr * nr) / err)) < 1e-9);
    assert.ok(Math.abs(r.cosine - dot / (nr * nt)) < 1e-12);
    assert.equal(r.maxAbsErr, Math.max(...refAll.map((v, i) => Math.abs(v - (testAll[i] ?? 0)))));
    assert.ok(r.sqnrDb > 25 && r.sqnrDb < 45, `${r.sqnrDb} dB for noise at 5% of a unit-or-larger signal`);
  });

  it('handles identical tensors, silence, non-finite elements and mismatched sizes', () => {
    const same = new ErrorAccumulator();
    same.add([1, 2, 3], [1, 2, 3]);
    assert.equal(same.result().sqnrDb, Infinity);
    assert.equal(same.result().cosine, 1);
    const silent = new ErrorAccumulator();
    silent.add([0, 0], [0.5, 0]);
    assert.equal(silent.result().sqnrDb, -Infinity);
    assert.equal(silent.result().cosine, 0);
    const nan = new ErrorAccumulator();
    nan.add([1, NaN, 2], [1, 1, 2]);
    assert.equal(nan.result().nonFinite, 1);
    assert.equal(nan.result().elements, 2);
    assert.throws(() => nan.add([1], [1, 2]), /1 and 2 elements/);
  });

  it('counts decisions along the class axis', () => {
    const d = new DecisionAccumulator(classAxisOf([2, 3]));
    d.add([0, 1, 0, 5, 0, 0], [0, 0.9, 0.2, 0, 0, 1], [2, 3]);
    assert.deepEqual(d.result(), { agreement: 0.5, rows: 2, agreeing: 1 });
    const dense = new DecisionAccumulator(1);
    // [1, 2 classes, 3 positions]: argmax per position.
    dense.add([1, 0, 1, 0, 1, 0], [1, 0, 0, 0, 1, 1], [1, 2, 3]);
    assert.deepEqual(dense.result(), { agreement: 2 / 3, rows: 3, agreeing: 2 });
    assert.equal(classAxisOf([1, 1000]), 1);
    assert.equal(classAxisOf([1, 1]), undefined);
    assert.equal(classAxisOf([1, 3, 8, 8]), undefined);
  });
});
