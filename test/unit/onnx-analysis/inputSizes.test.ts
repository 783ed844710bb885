import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { SAMPLE_MODELS } from '../../../src/core/onnx/fixtures/samples';
import { DataType } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { resolveInputSizes } from '../../../src/core/onnx/shape/inputSizes';
import { inputTensors } from '../../../src/core/profile/measure/inputTensors';
import { SINGLE_THREAD } from '../onnx-io/compare';
import { REPO_ROOT } from '../onnx-io/reference';

function sizesOf(inputs: Array<[string, number, Array<number | string>]>) {
  const b = new ModelBuilder({ name: 'sizes', seed: 1 });
  for (const [name, type, shape] of inputs) b.output(b.op('Identity', [b.input(name, type, shape)]), type, undefined, `${name}_out`);
  const sizes = resolveInputSizes(b.buildModel().graph);
  return Object.fromEntries(sizes.inputs.map((i) => [i.name, i.dims]));
}

describe('default sizes of dynamic input dims', () => {
  it('gives images 224x224 in NCHW and NHWC, token ids 128, and a KV cache an empty past instead of an image side', () => {
    const dims = sizesOf([
      ['nchw', DataType.FLOAT, ['n', 3, 'h', 'w']],
      ['nhwc', DataType.FLOAT, ['n', 'h2', 'w2', 4]],
      ['ids', DataType.INT64, ['batch', 'seq']],
      // 4 heads of 8 looked like a 4-channel image, and 224 past tokens broke the model's position table.
      ['past_key_values.0.key', DataType.FLOAT, ['batch', 4, 'past_seq', 8]],
      ['cache', DataType.FLOAT, ['batch', 4, 'len', 8]],
      ['hf_past', DataType.FLOAT, ['batch', 4, 'past_sequence_length', 64]],
    ]);
    assert.deepEqual(dims['nchw'], [1, 3, 224, 224]);
    assert.deepEqual(dims['nhwc'], [1, 224, 224, 4]);
    assert.deepEqual(dims['ids'], [1, 128]);
    assert.deepEqual(dims['past_key_values.0.key'], [1, 4, 0, 8]);
    assert.deepEqual(dims['cache'], [1, 4, 1, 8], 'a 4-"channel" input whose other side is fixed at 8 is not an image');
    assert.deepEqual(dims['hf_past'], [1, 4, 0, 64]);
  });

  it('every sample model runs in onnxruntime-node at its default sizes (what profile --measure and the host bench feed it)', async function () {
    this.timeout(60_000);
    const ranNothing: string[] = [];
    for (const sample of SAMPLE_MODELS) {
      const model = await readModelFile(join(REPO_ROOT, 'samples', sample.path));
      const feeds = Object.fromEntries(inputTensors(model.graph, resolveInputSizes(model.graph)).map((s) => [s.name, new ort.Tensor(s.type, s.data, s.dims)]));
      const session = await ort.InferenceSession.create(join(REPO_ROOT, 'samples', sample.path), SINGLE_THREAD);
      try {
        const out = await session.run(feeds);
        if (Object.keys(out).length === 0) ranNothing.push(sample.path);
      } finally {
        await session.release();
      }
    }
    assert.deepEqual(ranNothing, []);
  });
});
