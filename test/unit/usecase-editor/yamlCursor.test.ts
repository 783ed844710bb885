import * as assert from 'node:assert/strict';
import { cursorSlot } from '../../../src/core/usecase/editor/yamlCursor';

/** Splits `text` at the `|` marker: the cursor. */
function at(marked: string) {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'test text needs a | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, offset, slot: cursorSlot(text, offset) };
}

const useCase = [
  'apiVersion: aios/v1',
  'kind: UseCase',
  'name: dms',
  'safety:',
  '  asil: B',
  'model:',
  '  path: models/dms.onnx',
  '  inputs: [{name: image, shape: [1, 3], dtype: float32}]',
  'targets:',
  '  - soc: qualcomm-sa8295p',
  '    engine: npu',
  '    budgets: {latency: 8ms, memory: 64MiB}',
  '  - soc: ti-tda4vm',
  'deployment:',
  '  ecu: x',
].join('\n');

describe('cursorSlot (completion context of a YAML file being typed)', () => {
  it('a key typed on its own line under a mapping goes into that mapping, with the siblings it already has', () => {
    const { slot } = at(useCase.replace('  asil: B', '  asil: B\n  so|'));
    assert.equal(slot.kind, 'key');
    assert.deepEqual(slot.path, ['safety']);
    assert.equal(slot.partial, 'so');
    if (slot.kind === 'key') assert.deepEqual(slot.presentKeys, ['asil']);
  });

  it('renaming an existing key: the word is followed by a colon, so only the name is inserted', () => {
    const { text, slot } = at(useCase.replace('    engine: npu', '    eng|ine: npu'));
    assert.equal(slot.kind, 'key');
    if (slot.kind === 'key') assert.equal(slot.hasColon, true);
    assert.equal(text.slice(slot.replace[0], slot.replace[1]), 'engine');
    const fresh = at('model:\n  pa|').slot;
    if (fresh.kind === 'key') assert.equal(fresh.hasColon, false);
    const flow = at('b: {lat|: 8ms}').slot;
    assert.equal(flow.kind, 'key');
    if (flow.kind === 'key') assert.equal(flow.hasColon, true);
  });

  it('a key at column 0 goes to the root and sees the root keys above and below', () => {
    const { slot } = at(useCase.replace('deployment:', 'qua|\ndeployment:'));
    assert.equal(slot.kind, 'key');
    assert.deepEqual(slot.path, []);
    if (slot.kind === 'key') {
      assert.ok(slot.presentKeys.includes('apiVersion'));
      assert.ok(slot.presentKeys.includes('targets'));
      assert.ok(slot.presentKeys.includes('deployment'), 'keys below the cursor count too');
      assert.ok(!slot.presentKeys.includes('asil'), 'nested keys are not siblings');
    }
  });

  it('a key inside the second list item gets the item index in its path', () => {
    const { slot } = at(useCase.replace('  - soc: ti-tda4vm', '  - soc: ti-tda4vm\n    eng|'));
    assert.equal(slot.kind, 'key');
    assert.deepEqual(slot.path, ['targets', 1]);
    if (slot.kind === 'key') assert.deepEqual(slot.presentKeys, ['soc']);
  });

  it('after a dash the slot is the first key of a new list item', () => {
    const { slot } = at(useCase.replace('deployment:', '  - |\ndeployment:'));
    assert.equal(slot.kind, 'key');
    assert.deepEqual(slot.path, ['targets', 2]);
    if (slot.kind === 'key') assert.equal(slot.listItem, true);
  });

  it('a compact list (dash at the key\'s column) belongs to the key above', () => {
    const { slot } = at('targets:\n- soc: a\n- so|');
    assert.deepEqual(slot.path, ['targets', 1]);
  });

  it('a value after key: is a value slot with the full path and the typed prefix', () => {
    const { text, slot } = at(useCase.replace('  asil: B', '  asil: |B'));
    assert.equal(slot.kind, 'value');
    assert.deepEqual(slot.path, ['safety', 'asil']);
    assert.equal(slot.partial, '');
    assert.equal(text.slice(slot.replace[0], slot.replace[1]), 'B', 'the whole value is replaced');
  });

  it('a value of a list item key', () => {
    const { slot } = at(useCase.replace('  - soc: ti-tda4vm', '  - soc: ti-|tda4vm'));
    assert.equal(slot.kind, 'value');
    assert.deepEqual(slot.path, ['targets', 1, 'soc']);
    assert.equal(slot.partial, 'ti-');
  });

  it('right after the colon the value needs a leading space', () => {
    const { slot } = at('quantization:\n  precision:|');
    assert.equal(slot.kind, 'value');
    if (slot.kind === 'value') assert.equal(slot.needsSpace, true);
    assert.deepEqual(slot.path, ['quantization', 'precision']);
  });

  it('keys and values inside a one-line flow mapping', () => {
    const key = at(useCase.replace('{latency: 8ms, memory: 64MiB}', '{latency: 8ms, po|}')).slot;
    assert.equal(key.kind, 'key');
    assert.deepEqual(key.path, ['targets', 0, 'budgets']);
    assert.equal(key.partial, 'po');
    if (key.kind === 'key') assert.deepEqual(key.presentKeys, ['latency']);

    const value = at(useCase.replace('{latency: 8ms,', '{latency: 8|ms,')).slot;
    assert.equal(value.kind, 'value');
    assert.deepEqual(value.path, ['targets', 0, 'budgets', 'latency']);
    assert.equal(value.partial, '8');
  });

  it('flow lists of flow mappings: the model input name and dtype', () => {
    const name = at(useCase.replace('{name: image,', '{name: ima|ge,')).slot;
    assert.equal(name.kind, 'value');
    assert.deepEqual(name.path, ['model', 'inputs', 0, 'name']);
    const dtype = at(useCase.replace('dtype: float32}', 'dtype: fl|oat32}')).slot;
    assert.deepEqual(dtype.path, ['model', 'inputs', 0, 'dtype']);
    const dim = at(useCase.replace('shape: [1, 3]', 'shape: [1, |3]')).slot;
    assert.equal(dim.kind, 'value');
    assert.deepEqual(dim.path, ['model', 'inputs', 0, 'shape', 1]);
  });

  it('a scalar list item is reported as a list-item key slot the caller can treat as a value', () => {
    const { slot } = at('safety:\n  evidence:\n    - docs/a.md\n    - docs/|');
    assert.equal(slot.kind, 'key');
    assert.deepEqual(slot.path, ['safety', 'evidence', 1]);
    assert.equal(slot.partial, 'docs/');
  });

  it('comments, blank lines and CRLF line ends do not disturb the path', () => {
    const { slot } = at('model:\r\n  # the model\r\n\r\n  pa|');
    assert.deepEqual(slot.path, ['model']);
    assert.equal(slot.partial, 'pa');
  });

  it('never throws on odd input (empty text, cursor at the ends, unbalanced flows)', () => {
    for (const text of ['', ':', '- - -', '{[{[', 'a: {b: [c, {d: ', '"unterminated: x', 'key: |\n  block\n  more']) {
      for (let offset = 0; offset <= text.length; offset++) assert.doesNotThrow(() => cursorSlot(text, offset));
    }
  });
});
