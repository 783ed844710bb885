import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier, denseCnn, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { convertFp16, FP16_KEEP_FLOAT } from '../../../src/core/quantize/fp16';
import { QuantizeInputError } from '../../../src/core/quantize/request';
import { pooledSqnr, runOutputs, session, type Feeds } from './ortRunner';

function samples(inputs: Readonly<Record<string, readonly number[]>>, count: number, seed: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Object.fromEntries(Object.entries(inputs).map(([n, s]) => [n, new ort.Tensor('float32', rng.normalArray(s.reduce((a, b) => a * b, 1), 1), [...s])])),
  );
}

describe('fp16 conversion, run in onnxruntime-node', function () {
  this.timeout(300_000);
  // Floors a little under the SQNR measured on this machine (see the report of the q-prec session).
  const cases: Array<{ name: string; model: () => Model; inputs: Record<string, number[]>; floor: number }> = [
    { name: 'CNN classifier 3x224x224', model: () => cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), inputs: { input: [1, 3, 224, 224] }, floor: 60 },
    { name: 'dense-output CNN 3x256x256', model: () => denseCnn({ inputShape: [1, 3, 256, 256], channels: [16, 32, 64, 128] }), inputs: { image: [1, 3, 256, 256] }, floor: 60 },
    { name: 'transformer block 1x128x256 (fused LayerNorm)', model: () => transformerEncoder({ model: 256, heads: 8, ffn: 1024 }), inputs: { tokens: [1, 128, 256] }, floor: 60 },
    { name: 'transformer block 1x128x256 (decomposed LayerNorm)', model: () => transformerEncoder({ model: 256, heads: 8, ffn: 1024, layerNorm: 'decomposed' }), inputs: { tokens: [1, 128, 256] }, floor: 60 },
  ];
  for (const c of cases) {
    it(`${c.name}: float16 weights, float32 inputs and outputs, output SQNR >= ${c.floor} dB`, async () => {
      const model = c.model();
      const result = await convertFp16(model, 'model.onnx', { inputShapes: c.inputs });
      assert.ok(result.nodesConverted > 0);
      const g = result.model.graph;
      assert.deepEqual(g.inputs.map((i) => i.type), model.graph.inputs.map((i) => i.type), 'model inputs keep their float32 type');
      assert.deepEqual(g.outputs.map((o) => o.name), model.graph.outputs.map((o) => o.name));
      const keptNodes = new Set(result.keptFloat.map((k) => k.node));
      // Resize's roi and scales are float32 by the ONNX spec.
      const readByKept = new Set(g.nodes.flatMap((n) => (keptNodes.has(n.name) ? n.inputs : n.opType === 'Resize' ? n.inputs.slice(1, 3) : [])));
      const float32 = g.initializers.filter((t) => t.dataType === DataType.FLOAT && !readByKept.has(t.name) && t.dims.reduce((a, b) => a * b, 1) > 1);
      assert.deepEqual(float32.map((t) => t.name), [], 'only weights of ops kept in float32 stay float32');
      assert.ok(g.initializers.some((t) => t.dataType === DataType.FLOAT16));
      for (const k of result.keptFloat) assert.ok(FP16_KEEP_FLOAT.has(k.op) || k.reason.length > 0);
      const held = samples(c.inputs, 3, 2);
      const sqnr = pooledSqnr(await runOutputs(model, held), await runOutputs(result.model, held));
      console.log(`      ${c.name}: fp16 output SQNR ${sqnr.toFixed(1)} dB`);
      assert.ok(sqnr >= c.floor, `${sqnr.toFixed(1)} dB`);
      const s = await session(result.model);
      assert.equal(s.outputNames.length, model.graph.outputs.length);
      await s.release();
    });
  }

  it('keeps Softmax and the decomposed LayerNorm reductions in float32 and lists them', async () => {
    const model = transformerEncoder({ model: 32, heads: 4, ffn: 64, layerNorm: 'decomposed' });
    const result = await convertFp16(model, 'model.onnx', { inputShapes: { tokens: [1, 8, 32] } });
    const ops = new Set(result.keptFloat.map((k) => k.op));
    for (const op of ['Softmax', 'ReduceMean', 'Pow', 'Sqrt']) assert.ok(ops.has(op), `${op} not kept: ${[...ops].join(', ')}`);
    const softmax = result.model.graph.nodes.find((n) => n.opType === 'Softmax')!;
    const producer = result.model.graph.nodes.find((n) => n.outputs.includes(softmax.inputs[0]!))!;
    assert.equal(producer.opType, 'Cast', 'the float32 Softmax reads a Cast of the float16 scores');
  });

  it('gives the same bytes twice', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    const a = await writeModelBytes((await convertFp16(model, 'm.onnx')).model);
    const b = await writeModelBytes((await convertFp16(model, 'm.onnx')).model);
    assert.deepEqual(a, b);
  });

  it('refuses an already-fp16 model with one line naming it', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    const once = (await convertFp16(model, 'm.onnx')).model;
    const halfOnly: Model = { ...once, graph: { ...once.graph, initializers: once.graph.initializers.filter((t) => t.dataType !== DataType.FLOAT) } };
    await assert.rejects(convertFp16(halfOnly, 'm.fp16.onnx'), (e: unknown) => e instanceof QuantizeInputError && /m\.fp16\.onnx is already fp16/.test(e.message) && !e.message.includes('\n'));
  });
});
