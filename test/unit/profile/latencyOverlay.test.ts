import { strict as assert } from 'node:assert';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { resolveOverlay } from '../../../src/core/graphview/overlays';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { latencyOverlay, latencyOverlayId } from '../../../src/core/profile/view/latencyOverlay';
import { overlaySchema } from '../../../src/protocol/graphPayload';
import { namesOf } from '../../../src/protocol/graphRows';
import { analysed, testSoc } from './fixtures';

describe('graph latency overlay from a profile', () => {
  it('colours every node of every kernel (fused nodes too) of the profiled model with its kernel time', async () => {
    const model = cnnClassifier({ seed: 3, inputShape: [1, 3, 32, 32], stages: [8], classes: 4 });
    const row = estimateTarget(await analysed(model), testSoc({ fusions: [['Conv', 'BatchNormalization', 'Relu']] }), { precision: 'int8' }).profile;
    assert.ok(row.layers.some((l) => (l.fusedWith?.length ?? 0) > 0), 'the fixture has fused kernels');
    const payload = await buildModelPayload(model, { title: 'cnn.onnx' });
    const { overlay, unmatched } = resolveOverlay(payload, latencyOverlay(row));
    assert.deepEqual(unmatched, []);
    const kernelNodes = row.layers.reduce((n, l) => n + 1 + (l.fusedWith?.length ?? 0), 0);
    assert.equal(overlay.nodes.length, kernelNodes);
    const fused = row.layers.find((l) => (l.fusedWith?.length ?? 0) > 0)!;
    const names = namesOf(payload.graphs[0]!.nodes);
    const valueOf = (node: string) => overlay.values[overlay.nodes.findIndex((i) => names[i] === node)];
    for (const n of [fused.node, ...fused.fusedWith!]) assert.equal(valueOf(n), fused.ms, n);
    assert.ok(overlaySchema.safeParse(overlay).success, 'the graph view accepts it');
  });

  it('makes ids the graph view accepts from any target id', () => {
    assert.equal(latencyOverlayId('qualcomm-sa8295p'), 'latency.qualcomm-sa8295p');
    assert.match(latencyOverlayId('my soc/v2:x'.repeat(10)), /^[a-zA-Z][\w.-]{0,63}$/);
  });
});
