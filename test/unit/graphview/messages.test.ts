import { strict as assert } from 'node:assert';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { graphViewToHostSchema, hostToGraphViewSchema, parseMessage } from '../../../src/protocol/graphMessages';
import { graphPayloadSchema, type GraphPayload } from '../../../src/protocol/graphPayload';

/** Deep copy with one change applied, for building malformed variants of a good payload. */
function mutate(payload: GraphPayload, change: (p: GraphPayload) => void): unknown {
  const copy = structuredClone(payload);
  change(copy);
  return copy;
}

describe('graph view messages (zod)', () => {
  let payload: GraphPayload;
  before(async () => {
    payload = await buildModelPayload(cnnClassifier({ seed: 1 }), { title: 'cnn.onnx' });
  });

  it('accepts a well-formed init message', () => {
    const parsed = parseMessage(hostToGraphViewSchema, { type: 'init', payload, weightsAvailable: true, reveal: { node: 'x' } });
    assert.ok(parsed.ok);
  });

  const malformed: Array<[string, (p: GraphPayload) => void, RegExp]> = [
    ['a column shorter than the node list', (p) => p.graphs[0]!.nodes.op.pop(), /nodes\.op has/],
    ['an input index past the tensor table', (p) => (p.graphs[0]!.nodes.inputs[0] = 1e6), /input out of range/],
    ['a fractional index', (p) => (p.graphs[0]!.nodes.group[0] = 0.5), /integers/],
    ['a negative group', (p) => (p.graphs[0]!.nodes.group[0] = -1), /integers >= 0/],
    ['a group whose parent comes later', (p) => (p.graphs[0]!.groups.parent[1] = 5), /bad parent|root/],
    ['a node name that is not a string', (p) => ((p.graphs[0]!.nodes.name as unknown[])[0] = { toString: 'x' }), /strings/],
    ['a NaN FLOP count', (p) => (p.graphs[0]!.nodes.flops[0] = NaN), /FLOP/],
    ['an infinite overlay value', (p) => (p.overlays[0]!.values[0] = Infinity), /finite/],
    ['an overlay node out of range', (p) => (p.overlays[0]!.nodes[0] = 99999), /node out of range/],
    ['an overlay id with markup', (p) => (p.overlays[0]!.id = '<img>'), /id/],
    ['an input range that decreases', (p) => {
      const starts = p.graphs[0]!.nodes.inputStart;
      starts[starts.findIndex((v) => v > 0) + 1] = 0;
    }, /must not decrease/],
    ['a diff with too few statuses', (p) => (p.diff = { baseTitle: 'a', otherTitle: 'b', status: ['same'], changes: [] }), /one status per node/],
    ['a name sharing more than the previous name has', (p) => (p.graphs[0]!.nodes.namePrefix[0] = 3), /shares more characters/],
    ['more captures than inputs', (p) => (p.graphs[0]!.nodes.captures = p.graphs[0]!.nodes.kind.map(() => 99)), /more captures than inputs/],
    ['a captures column of the wrong length', (p) => (p.graphs[0]!.nodes.captures = [0]), /nodes\.captures has/],
    ['a wrong version', (p) => ((p as { version: number }).version = 2), /version/],
  ];
  for (const [what, change, reason] of malformed) {
    it(`rejects a payload with ${what}`, () => {
      const parsed = parseMessage(hostToGraphViewSchema, { type: 'init', payload: mutate(payload, change), weightsAvailable: false });
      assert.ok(!parsed.ok, 'accepted');
      assert.match(parsed.reason, reason);
      assert.ok(!graphPayloadSchema.safeParse(mutate(payload, change)).success);
    });
  }

  it('rejects unknown and incomplete messages in both directions', () => {
    for (const bad of [null, 42, 'ready', {}, { type: 'nope' }, { type: 'reveal' }, { type: 'reveal', target: { node: 3 } }, { type: 'weightStats', requestId: -1, result: { ok: true } }]) {
      assert.ok(!parseMessage(hostToGraphViewSchema, bad).ok, JSON.stringify(bad));
    }
    for (const bad of [{ type: 'requestWeights', requestId: 1.5, graph: 0, tensor: 'w' }, { type: 'requestWeights', requestId: 1, graph: -1, tensor: 'w' }, { type: 'selection', graph: 'main' }, { type: 'error' }, { type: 'init' }]) {
      assert.ok(!parseMessage(graphViewToHostSchema, bad).ok, JSON.stringify(bad));
    }
    assert.ok(parseMessage(graphViewToHostSchema, { type: 'ready' }).ok);
    assert.ok(parseMessage(graphViewToHostSchema, { type: 'requestWeights', requestId: 3, graph: 0, tensor: 'w' }).ok);
  });

  it('accepts input sizes that are positive integers or unset, and nothing else', () => {
    const ok = (sizes: unknown) => parseMessage(graphViewToHostSchema, { type: 'setInputSizes', sizes }).ok;
    assert.ok(ok({ image: [1, 3, 640, null] }));
    assert.ok(ok({}));
    for (const bad of [{ image: [0] }, { image: [-2] }, { image: [1.5] }, { image: ['640'] }, { image: [1_000_001] }, { image: new Array(65).fill(1) }, { image: 3 }, [1, 2]]) {
      assert.ok(!ok(bad), JSON.stringify(bad));
    }
    assert.ok(!ok(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`in${i}`, [1]]))), 'too many inputs');
  });

  it('rejects over-long strings instead of passing them on', () => {
    const parsed = parseMessage(graphViewToHostSchema, { type: 'error', message: 'x'.repeat(200_000) });
    assert.ok(!parsed.ok);
  });
});
