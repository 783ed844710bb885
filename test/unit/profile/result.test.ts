import { strict as assert } from 'node:assert';
import { profileResultSchema } from '../../../src/core/profile/result';

const specShaped = {
  results: [
    {
      target: 'qualcomm-sa8295p',
      precision: 'int8',
      latencyMs: 6.1,
      peakMemoryBytes: 1_000_000,
      weightBytes: 600_000,
      peakActivationBytes: 400_000,
      energyMj: 12,
      powerW: 2,
      sustainedFps: 160,
      thermalLimited: false,
      fits: { latency: true, memory: true, power: null },
      engines: [{ engine: 'npu', kind: 'npu', busyMs: 5, utilisation: 0.82, peakOpsPerS: 30e12, bandwidthBytesPerS: 34e9 }],
      layers: [{ node: '/conv1', op: 'Conv', engine: 'npu', ms: 1.2, flops: 1e9, bytes: 1e6, bound: 'compute', fusedWith: ['/relu1'] }],
      warnings: [],
    },
  ],
  runId: '20261207-abc',
};

describe('profile result schema', () => {
  it('accepts the SPEC --json shape with its extensions', () => {
    const parsed = profileResultSchema.parse(specShaped);
    assert.equal(parsed.results[0]?.layers[0]?.engine, 'npu');
  });

  it('rejects a negative latency and an unknown precision', () => {
    const [first] = specShaped.results;
    assert.ok(first);
    assert.equal(profileResultSchema.safeParse({ ...specShaped, results: [{ ...first, latencyMs: -1 }] }).success, false);
    assert.equal(profileResultSchema.safeParse({ ...specShaped, results: [{ ...first, precision: 'int3' }] }).success, false);
  });
});
