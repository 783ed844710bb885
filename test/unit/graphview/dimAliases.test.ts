import { strict as assert } from 'node:assert';
import { dimAliases, symbolsOf } from '../../../src/protocol/dimAliases';

describe('short aliases of symbolic dims', () => {
  it('gives long common names their usual letter and keeps short symbols', () => {
    const aliases = dimAliases(['batch_size', 'N', 'image_height', 'image_width', 'sequence_length', 'K']);
    assert.deepEqual([...aliases], [['batch_size', 'N2'], ['image_height', 'H'], ['image_width', 'W'], ['sequence_length', 'S']]);
  });

  it('keeps aliases unique, never equal to a short symbol that is shown as it is', () => {
    const aliases = dimAliases(['unk__101', 'unk__102', 'U', 'dynamic_axes_1']);
    assert.deepEqual([...aliases], [['unk__101', 'U2'], ['unk__102', 'U3'], ['dynamic_axes_1', 'D']]);
    const all = [...aliases.values(), 'U'];
    assert.equal(new Set(all).size, all.length);
  });

  it('collects symbols of shapes in order of first appearance, skipping numbers and unknowns', () => {
    assert.deepEqual(symbolsOf([['batch', 3, null, 'width'], null, ['batch', 'seq']]), ['batch', 'width', 'seq']);
  });
});
