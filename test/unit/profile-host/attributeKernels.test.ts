import { strict as assert } from 'node:assert';
import { attributeKernels } from '../../../src/core/profile/measure/attributeKernels';
import type { TracedKernel } from '../../../src/core/profile/measure/ortTrace';
import { compareLayers } from '../../../src/core/profile/measure/compareLayers';
import { measuredProfile } from '../../../src/core/profile/measure/measuredProfile';
import { measuredProfileSchema } from '../../../src/core/profile/result';
import { smallCnn } from './hostModels';

const k = (name: string, op: string, ms: number): TracedKernel => ({ name, op, provider: 'CPUExecutionProvider', ms, count: 1 });

describe('attributing onnxruntime kernels to model nodes', () => {
  const graph = smallCnn().graph;

  it('follows the names onnxruntime gives optimised kernels back to the model nodes', () => {
    const result = attributeKernels(graph, [
      k('/stage1/relu_output_0_nchwc', 'Conv', 0.5), // NCHWc conv named after the Relu's output
      k('ReorderOutput', 'ReorderOutput', 0.01), // inserted by onnxruntime
      k('/stage2/conv/LayerNormFusion/', 'Conv', 0.25), // a fusion segment on the first node's name
      k('/stage2/relu', 'Relu', 0.05),
      k('gap', 'GlobalAveragePool', 0.02),
      k('fused fc', 'FusedGemm', 0.03),
    ]);
    assert.deepEqual(
      result.layers.map((l) => [l.node, l.op, l.ms, l.covers, l.kernels]),
      [
        ['/stage1/conv', 'Conv', 0.5, ['/stage1/bn', '/stage1/relu'], ['/stage1/relu_output_0_nchwc']],
        ['/stage2/conv', 'Conv', 0.25, [], ['/stage2/conv/LayerNormFusion/']],
        ['/stage2/relu', 'Relu', 0.05, [], ['/stage2/relu']],
        ['gap', 'GlobalAveragePool', 0.02, [], ['gap']],
        ['fc', 'Gemm', 0.03, [], ['fused fc']],
      ],
    );
    assert.deepEqual(result.unattributed, [{ kernel: 'ReorderOutput', op: 'ReorderOutput', ms: 0.01 }]);
  });

  it('pairs measured kernels with estimated layers through fused nodes and ranks them', () => {
    const measured = attributeKernels(graph, [
      k('/stage1/relu_output_0_nchwc', 'Conv', 0.5),
      k('/stage2/relu_output_0_nchwc', 'Conv', 0.9),
      k('gap', 'GlobalAveragePool', 0.02),
      k('fc', 'Gemm', 0.03),
    ]).layers;
    const estimate = [
      { node: '/stage1/conv', ms: 0.4, fusedWith: ['/stage1/bn'] },
      { node: '/stage1/relu', ms: 0.01 }, // not fused in the estimate: the kernel counts for the conv layer once
      { node: '/stage2/relu', ms: 0.7, fusedWith: ['/stage2/conv', '/stage2/bn'] }, // fused group named after its last node
      { node: 'gap', ms: 0.05 },
      { node: 'flatten', ms: 0.001 },
      { node: 'fc', ms: 0.04 },
    ];
    const comparison = compareLayers(estimate, measured);
    assert.deepEqual(
      comparison.layers.map((l) => [l.node, l.measuredMs]),
      [['/stage1/conv', 0.5], ['/stage1/relu', undefined], ['/stage2/relu', 0.9], ['gap', 0.02], ['flatten', undefined], ['fc', 0.03]],
    );
    assert.equal(comparison.comparedLayers, 4);
    // estimated order 0.7 > 0.4 > 0.05 > 0.04 against measured 0.9 > 0.5 > 0.03 < 0.02: one swap at the bottom.
    assert.equal(comparison.rankCorrelation, 0.8);
  });
});

describe('the measured part of a profile result', () => {
  it('puts the estimate beside each measured layer, with the rank correlation and the ratio of totals', () => {
    const graph = smallCnn().graph;
    const attribution = attributeKernels(graph, [
      k('/stage1/relu_output_0_nchwc', 'Conv', 0.5),
      k('/stage2/relu_output_0_nchwc', 'Conv', 0.9),
      k('ReorderOutput', 'ReorderOutput', 0.05),
      k('gap', 'GlobalAveragePool', 0.02),
      k('fc', 'Gemm', 0.03),
    ]);
    const m = { ...attribution, p50Ms: 2, p90Ms: 2.5, p99Ms: 3, runs: 20, warmupRuns: 3, profiledRuns: 5, ortVersion: '1.30.0', inputs: [{ name: 'image', dims: [1, 3, 32, 32] }] };
    const layer = (node: string, ms: number, fusedWith?: string[]) => ({ node, op: 'Conv', engine: 'cpu', ms, flops: 1, bytes: 1, bound: 'compute' as const, ...(fusedWith ? { fusedWith } : {}) });
    const estimate = { latencyMs: 3, layers: [layer('/stage1/conv', 0.4, ['/stage1/bn', '/stage1/relu']), layer('/stage2/conv', 0.7, ['/stage2/bn', '/stage2/relu']), layer('gap', 0.05), layer('fc', 0.04)] };
    const result = measuredProfile(m, estimate);
    assert.ok(measuredProfileSchema.safeParse(result).success);
    assert.equal(result.estimateRatio, 1.5);
    assert.equal(result.comparedLayers, 4);
    assert.equal(result.rankCorrelation, 0.8);
    assert.equal(result.unattributedMs, 0.05);
    assert.deepEqual(result.layers?.map((l) => [l.node, l.ms, l.estimatedMs]), [['/stage1/conv', 0.5, 0.4], ['/stage2/conv', 0.9, 0.7], ['gap', 0.02, 0.05], ['fc', 0.03, 0.04]]);
    const alone = measuredProfile(m);
    assert.equal(alone.rankCorrelation, undefined, 'no estimate, no correlation');
    assert.equal(alone.layers?.[0]?.estimatedMs, undefined);
  });
});
