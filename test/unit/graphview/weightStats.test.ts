import { strict as assert } from 'node:assert';
import { DataType } from '../../../src/core/onnx/model';
import { makeTensor } from '../../../src/core/onnx/builder';
import { halfToFloat, histogramBins, maxSampledValues, weightStats } from '../../../src/core/graphview/weightStats';

function reference(values: readonly number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { min: Math.min(...values), max: Math.max(...values), mean, std };
}

describe('weight statistics', () => {
  it('matches a direct computation for float32, with a histogram over all values', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.fround(Math.sin(i) * 3 + (i % 7 === 0 ? 0 : 0.25)));
    values[10] = 0;
    const stats = await weightStats(makeTensor('w', [10, 100], Float32Array.from(values)));
    const ref = reference(values);
    assert.equal(stats.count, 1000);
    assert.equal(stats.sampled, 1000);
    assert.equal(stats.min, ref.min);
    assert.equal(stats.max, ref.max);
    assert.ok(Math.abs(stats.mean! - ref.mean) < 1e-9);
    assert.ok(Math.abs(stats.std! - ref.std) < 1e-9);
    assert.equal(stats.zeros, values.filter((v) => v === 0).length);
    assert.equal(stats.histogram.counts.length, histogramBins);
    assert.equal(stats.histogram.counts.reduce((a, b) => a + b, 0), 1000);
    assert.equal(stats.dtype, 'float32');
  });

  it('decodes int8, float16 and int4 and counts non-finite values apart', async () => {
    const i8 = await weightStats(makeTensor('q', [4], Int8Array.from([-128, -1, 0, 127])));
    assert.deepEqual([i8.min, i8.max, i8.zeros], [-128, 127, 1]);
    const halves = Uint16Array.from([0x3c00, 0xc000, 0x7c00, 0x7e00]); // 1, -2, +inf, NaN
    const f16 = await weightStats(makeTensor('h', [4], { dataType: DataType.FLOAT16, bytes: new Uint8Array(halves.buffer) }));
    assert.deepEqual([f16.min, f16.max, f16.nonFinite], [-2, 1, 2]);
    assert.equal(halfToFloat(0x3555), 0.333251953125);
    const i4 = await weightStats(makeTensor('n', [4], { dataType: DataType.INT4, bytes: Uint8Array.from([0x8f, 0x71]) })); // -1, -8, 1, 7
    assert.deepEqual([i4.min, i4.max, i4.mean], [-8, 7, -0.25]);
  });

  it('samples a huge tensor with a fixed stride and says so', async () => {
    const count = maxSampledValues * 2 + 10;
    const stats = await weightStats(makeTensor('big', [count], new Float32Array(count).fill(1.5)));
    assert.ok(stats.sampled < count && stats.sampled <= maxSampledValues + 1);
    assert.equal(stats.min, 1.5);
    assert.equal(stats.std, 0);
  });

  it('refuses a payload shorter than its dims and returns no numbers for strings', async () => {
    await assert.rejects(weightStats(makeTensor('short', [8], { dataType: DataType.FLOAT, bytes: new Uint8Array(8) })), /fewer than its 8 float32 elements/);
    const strings = await weightStats(makeTensor('s', [1], { dataType: DataType.STRING, bytes: new Uint8Array(1) }));
    assert.equal(strings.min, null);
  });
});
