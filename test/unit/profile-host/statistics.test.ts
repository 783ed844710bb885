import { strict as assert } from 'node:assert';
import { averageRanks, latencyPercentiles, quantile, spearman } from '../../../src/core/profile/measure/statistics';

describe('measurement statistics', () => {
  it('quantiles interpolate linearly between closest ranks (numpy "linear")', () => {
    // numpy.percentile([7, 1, 3, 5], [50, 90, 99]) -> 4.0, 6.4, 6.94
    const values = [7, 1, 3, 5];
    assert.equal(quantile(values, 0.5), 4);
    assert.ok(Math.abs(quantile(values, 0.9)! - 6.4) < 1e-12);
    assert.ok(Math.abs(quantile(values, 0.99)! - 6.94) < 1e-12);
    assert.equal(quantile([], 0.5), undefined);
    assert.equal(quantile([3], 0.99), 3);
  });

  it('p50/p90/p99 come from the timed runs and keep their order', () => {
    const runs = Array.from({ length: 100 }, (_, i) => 100 - i);
    const p = latencyPercentiles(runs);
    assert.equal(p.runs, 100);
    assert.equal(p.p50Ms, 50.5);
    assert.ok(Math.abs(p.p90Ms - 90.1) < 1e-9);
    assert.ok(Math.abs(p.p99Ms - 99.01) < 1e-9);
    assert.throws(() => latencyPercentiles([]), /at least one timed run/);
  });

  it('tied values share the mean of their ranks', () => {
    assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  });

  it("Spearman's rho is 1 for any increasing relation, -1 for a decreasing one, and handles ties", () => {
    assert.equal(spearman([1, 2, 3, 4], [1, 10, 100, 1000]), 1);
    assert.equal(spearman([1, 2, 3, 4], [9, 7, 5, -1]), -1);
    // Reference: numpy.corrcoef of the average ranks (what scipy.stats.spearmanr computes).
    assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4])! - 0.9486832980505139) < 1e-12);
    assert.ok(Math.abs(spearman([3, 1, 4, 1, 5], [9, 2, 6, 5, 3])! - 0.20519567041703082) < 1e-12);
  });

  it('says nothing (undefined) for fewer than 3 pairs or a constant side', () => {
    assert.equal(spearman([1, 2], [2, 1]), undefined);
    assert.equal(spearman([1, 2, 3], [5, 5, 5]), undefined);
    assert.throws(() => spearman([1, 2, 3], [1, 2]), /3 values against 2/);
  });
});
