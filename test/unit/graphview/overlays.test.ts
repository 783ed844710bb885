import { strict as assert } from 'node:assert';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { resolveOverlay } from '../../../src/core/graphview/overlays';
import { graphPayloadSchema } from '../../../src/protocol/graphPayload';
import { namesOf } from '../../../src/protocol/graphRows';

describe('named overlays (latency, quantization error)', () => {
  it('maps node and tensor names to nodes, reports the names that match nothing', async () => {
    const model = cnnClassifier({ seed: 1 });
    const payload = await buildModelPayload(model, { title: 'cnn' });
    const [conv, relu] = [model.graph.nodes.find((n) => n.opType === 'Conv')!, model.graph.nodes.find((n) => n.opType === 'Relu')!];
    const { overlay, unmatched } = resolveOverlay(payload, {
      id: 'latency',
      label: 'Latency',
      unit: 'ms',
      scale: 'linear',
      values: [[conv.name, 0.5], [relu.outputs[0]!, 0.1], ['no-such-node', 3], [conv.name, 9]],
    });
    assert.deepEqual(unmatched, ['no-such-node']);
    const all = namesOf(payload.graphs[0]!.nodes);
    const names = overlay.nodes.map((i) => all[i]);
    assert.deepEqual(names, [conv.name, relu.name]);
    assert.deepEqual(overlay.values, [0.5, 0.1]);
    assert.ok(graphPayloadSchema.safeParse({ ...payload, overlays: [...payload.overlays, overlay] }).success);
  });
});
