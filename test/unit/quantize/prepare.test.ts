import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { attr, makeTensor, ModelBuilder, Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { DataType } from '../../../src/core/onnx/model';
import { prepareModel } from '../../../src/core/quantize/prepare';
import { pooledSqnr, runOutputs } from './ortRunner';

describe('graph preparation for quantization', () => {
  it('folds BatchNormalization into Conv with the same outputs in onnxruntime', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    const before = model.graph.nodes.filter((n) => n.opType === 'BatchNormalization').length;
    const { model: prepared, notes } = await prepareModel(model);
    assert.ok(before > 0);
    assert.equal(prepared.graph.nodes.filter((n) => n.opType === 'BatchNormalization').length, 0);
    assert.ok(notes.some((n) => n.includes(`${before} BatchNormalization`)));
    const rng = new Rng(3);
    const feeds = [{ input: new ort.Tensor('float32', rng.normalArray(3 * 32 * 32, 1), [1, 3, 32, 32]) }];
    assert.ok(pooledSqnr(await runOutputs(model, feeds), await runOutputs(prepared, feeds)) > 100);
  });

  it('takes Constant-node weights as initializers and removes Identity nodes, keeping graph output names', async () => {
    const b = new ModelBuilder({ name: 'consts', seed: 1 });
    const x = b.input('x', DataType.FLOAT, [1, 4]);
    const [w] = b.node('Constant', [], { attributes: { value: attr.tensor(makeTensor('', [4, 4], b.rng.normalArray(16, 1))) } });
    const wi = b.op('Identity', [w!]);
    const y = b.op('MatMul', [x, wi]);
    const [s] = b.node('Constant', [], { attributes: { value_float: attr.float(2) } });
    const z = b.op('Mul', [y, s!]);
    b.output(b.op('Identity', [z], undefined, 'out_identity'), DataType.FLOAT, [1, 4], 'out');
    const model = b.buildModel();
    const { model: prepared } = await prepareModel(model);
    assert.deepEqual(prepared.graph.nodes.map((n) => n.opType), ['MatMul', 'Mul']);
    assert.equal(prepared.graph.nodes[1]!.outputs[0], 'out');
    assert.ok(prepared.graph.initializers.some((t) => t.name === w && t.dims.join() === '4,4'));
    const feeds = [{ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [1, 4]) }];
    assert.deepEqual(await runOutputs(prepared, feeds), await runOutputs(model, feeds));
  });
});
