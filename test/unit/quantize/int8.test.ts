import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier, denseCnn, transformerEncoder } from '../../../src/core/onnx/fixtures';
import type { Model } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { quantizeInt8, type Int8Options } from '../../../src/core/quantize/int8';
import { compileGlob } from '../../../src/core/usecase/glob';
import { feedsRunner, optimizedOpTypes, pooledSqnr, runOutputs, type Feeds } from './ortRunner';
import { patterns } from './patterns';

const defaults: Int8Options = { activations: 'uint8', perChannel: true, keepFloat: [], method: 'minmax' };

/** Deterministic standard-normal inputs (synthetic; the model weights are random too). */
function samples(inputs: Readonly<Record<string, readonly number[]>>, count: number, seed: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Object.fromEntries(Object.entries(inputs).map(([n, s]) => [n, new ort.Tensor('float32', rng.normalArray(s.reduce((a, b) => a * b, 1), 1), [...s])])),
  );
}

async function outputSqnr(model: Model, quantized: Model, held: readonly Feeds[]): Promise<number> {
  return pooledSqnr(await runOutputs(model, held), await runOutputs(quantized, held));
}

describe('int8 QDQ quantization, run in onnxruntime-node', function () {
  this.timeout(120_000);

  for (const p of patterns()) {
    it(`${p.name}: onnxruntime fuses the QDQ groups (${p.fusedOps.join(', ')}) and the output keeps >= 28 dB SQNR`, async () => {
      const result = await quantizeInt8(p.model, feedsRunner(samples(p.inputs, 8, 1)), defaults);
      assert.ok(result.nodesQuantized > 0);
      const ops = await optimizedOpTypes(result.model);
      for (const op of p.fusedOps) assert.ok((ops.get(op) ?? 0) > 0, `${op} missing from the optimised graph: ${[...ops.keys()].join(', ')}`);
      const sqnr = await outputSqnr(p.model, result.model, samples(p.inputs, 4, 2));
      assert.ok(sqnr >= 28, `output SQNR ${sqnr.toFixed(1)} dB`);
    });
  }

  it('gives the same bytes for the same model, data and options', async () => {
    const p = patterns()[0]!;
    const a = await quantizeInt8(p.model, feedsRunner(samples(p.inputs, 4, 1)), { ...defaults, method: 'entropy' });
    const b = await quantizeInt8(p.model, feedsRunner(samples(p.inputs, 4, 1)), { ...defaults, method: 'entropy' });
    assert.deepEqual(await writeModelBytes(a.model), await writeModelBytes(b.model));
    const c = await quantizeInt8(p.model, feedsRunner(samples(p.inputs, 4, 9)), { ...defaults, method: 'entropy' });
    assert.notDeepEqual(await writeModelBytes(a.model), await writeModelBytes(c.model), 'other calibration data must change the ranges');
  });

  it('leaves nodes matching a keepFloat glob in float and lists them', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    const inputs = { input: [1, 3, 32, 32] };
    const all = await quantizeInt8(model, feedsRunner(samples(inputs, 2, 1)), defaults);
    const kept = await quantizeInt8(model, feedsRunner(samples(inputs, 2, 1)), { ...defaults, keepFloat: [compileGlob('/head/*')] });
    assert.ok(kept.keptFloat.some((k) => k.node === '/head/fc/Gemm' && k.reason === 'keepFloat'));
    assert.equal((await optimizedOpTypes(kept.model)).get('QGemm'), undefined);
    assert.equal((await optimizedOpTypes(all.model)).get('QGemm'), 1);
    assert.ok(kept.nodesQuantized < all.nodesQuantized);
  });

  it('lists ops it has no int8 form for (Softmax, Erf, LayerNormalization) as kept float', async () => {
    const model = transformerEncoder({ model: 32, heads: 4, ffn: 64 });
    const input = model.graph.inputs[0]!;
    const result = await quantizeInt8(model, feedsRunner(samples({ [input.name]: [1, 16, 32] }, 2, 1)), { ...defaults, inputShapes: { [input.name]: [1, 16, 32] } });
    const ops = new Set(result.keptFloat.map((k) => k.op));
    for (const op of ['Softmax', 'Erf']) assert.ok(ops.has(op), `${op} not listed: ${[...ops].join(', ')}`);
    assert.ok(result.keptFloat.every((k) => k.reason.length > 0));
  });

  it('quantizes per tensor when asked, and with int8 symmetric activations', async () => {
    const p = patterns()[0]!;
    const held = samples(p.inputs, 4, 2);
    for (const options of [{ ...defaults, perChannel: false }, { ...defaults, activations: 'int8' as const }]) {
      const result = await quantizeInt8(p.model, feedsRunner(samples(p.inputs, 8, 1)), options);
      assert.ok(((await optimizedOpTypes(result.model)).get('QLinearConv') ?? 0) > 0);
      assert.ok((await outputSqnr(p.model, result.model, held)) >= 25);
    }
  });
});

describe('int8 SQNR floors on fixtures at realistic sizes (synthetic inputs, held-out samples)', function () {
  this.timeout(300_000);
  // Floors a little under the lowest of minmax / percentile / entropy measured on this machine:
  // classifier 36.0 / 36.4 / 34.4 dB, dense CNN 24.5 / 24.3 / 24.6 dB, transformer 34.4 / 34.8 / 34.2 dB.
  const cases = [
    { name: 'CNN classifier 3x224x224', model: () => cnnClassifier({ inputShape: [1, 3, 224, 224], stages: [32, 64, 128, 256], classes: 100 }), inputs: { input: [1, 3, 224, 224] }, floor: 33 },
    { name: 'dense-output CNN 3x256x256', model: () => denseCnn({ inputShape: [1, 3, 256, 256], channels: [16, 32, 64, 128] }), inputs: { image: [1, 3, 256, 256] }, floor: 23 },
    { name: 'transformer block 1x128x256', model: () => transformerEncoder({ model: 256, heads: 8, ffn: 1024 }), inputs: { tokens: [1, 128, 256] }, floor: 32 },
  ];
  for (const c of cases) {
    for (const method of ['minmax', 'percentile', 'entropy'] as const) {
      it(`${c.name}, ${method}: output SQNR >= ${c.floor} dB`, async () => {
        const model = c.model();
        const inputName = model.graph.inputs[0]!.name;
        const inputs = { [inputName]: Object.values(c.inputs)[0]! };
        const result = await quantizeInt8(model, feedsRunner(samples(inputs, 8, 1)), { ...defaults, method, inputShapes: inputs });
        const sqnr = await outputSqnr(model, result.model, samples(inputs, 4, 2));
        assert.ok(sqnr >= c.floor, `${sqnr.toFixed(1)} dB`);
      });
    }
  }
});
