import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelBuilder, Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier, tinyLlm, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { quantizeInt4, type Int4Options } from '../../../src/core/quantize/int4';
import { QuantizeInputError } from '../../../src/core/quantize/request';
import { compileGlob } from '../../../src/core/usecase/glob';
import { hasPythonOnnx, SYSTEM_PYTHON } from '../onnx-io/reference';
import { noPythonOnnx, skipBecause } from '../skipBecause';
import { assertMatchesDequantized, pythonInt4Reference as pythonReference } from './int4Reference';
import { pooledSqnr, runOutputs, type Feeds } from './ortRunner';

const defaults: Int4Options = { blockSize: 32, symmetric: true, keepFloat: [] };

function normalFeeds(inputs: Readonly<Record<string, readonly number[]>>, count: number, seed: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Object.fromEntries(Object.entries(inputs).map(([n, s]) => [n, new ort.Tensor('float32', rng.normalArray(s.reduce((a, b) => a * b, 1), 1), [...s])])),
  );
}

/** One MatMul [rows, k] x constant [k, n], and one Gemm with transB and a bias. */
function linearModel(k: number, n: number): Model {
  const b = new ModelBuilder({ name: 'linear', seed: 3 });
  const x = b.input('x', DataType.FLOAT, [4, k]);
  const w = b.weight('w', [k, n], 0.1);
  const y = b.op('MatMul', [x, w], undefined, 'y');
  const wt = b.weight('wt', [n, n], 0.1);
  const bias = b.weight('bias', [n], 0.1);
  b.output(b.op('Gemm', [y, wt, bias], { transB: { type: 'int', value: 1n } }, 'z'), DataType.FLOAT);
  return b.buildModel();
}

describe('int4 weight-only quantization (MatMulNBits), run in onnxruntime-node', function () {
  this.timeout(300_000);

  for (const symmetric of [true, false]) {
    for (const [blockSize, search] of [[32, false], [64, false], [128, false], [32, true], [128, true]] as const) {
      it(`${symmetric ? 'symmetric' : 'asymmetric'}, block ${blockSize}, ${search ? 'range search' : "ORT's rule"}: packing matches an independent numpy reading of the spec, and ORT computes A x dequant(B)`, async function () {
        if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
        const k = 200; // not a multiple of the block: the last block is padded
        const model = linearModel(k, 24);
        const result = await quantizeInt4(model, 'linear.onnx', { ...defaults, blockSize, symmetric, search });
        assert.equal(result.nodesQuantized, 2);
        assert.deepEqual(result.model.graph.nodes.map((n) => n.opType), ['MatMulNBits', 'MatMulNBits', 'Add']);
        const dir = mkdtempSync(join(tmpdir(), 'aios-int4-'));
        try {
          writeFileSync(join(dir, 'q.onnx'), await writeModelBytes(result.model));
          writeFileSync(join(dir, 'f.onnx'), await writeModelBytes(model));
          const python = (q: string) => JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', pythonReference, q, join(dir, 'f.onnx'), symmetric ? 'sym' : 'asym'], { encoding: 'utf8' })) as { deq: number[]; codeMismatches: number; scaleError: number; mse: number };
          const ref = python(join(dir, 'q.onnx'));
          assert.equal(ref.codeMismatches, 0, 'codes differ from round(w / scale) + zero point');
          if (!search) assert.ok(ref.scaleError < 1e-6, "scales differ from ORT's blockwise rule");
          else {
            // The searched ranges give less weight error than ORT's rule on the same weight.
            writeFileSync(join(dir, 'rtn.onnx'), await writeModelBytes((await quantizeInt4(model, 'linear.onnx', { ...defaults, blockSize, symmetric, search: false })).model));
            const rtn = python(join(dir, 'rtn.onnx'));
            assert.ok(ref.mse < rtn.mse, `searched ${ref.mse} vs ORT rule ${rtn.mse}`);
          }
          // ORT's MatMulNBits output for the first MatMul equals x times the dequantized weight.
          const onlyFirst: Model = { ...result.model, graph: { ...result.model.graph, nodes: result.model.graph.nodes.slice(0, 1), outputs: [{ name: result.model.graph.nodes[0]!.outputs[0]!, type: { kind: 'tensor', elemType: DataType.FLOAT } }] } };
          const [feeds] = normalFeeds({ x: [4, k] }, 1, 7);
          const [[got]] = (await runOutputs(onlyFirst, [feeds!])) as [[Float32Array]];
          assertMatchesDequantized(feeds!['x']!.data as Float32Array, ref.deq, got, 4, k, 24);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }

  // Floors a little under the measured SQNR (see the q-prec report).
  it('transformer block 1x128x256: every constant MatMul becomes MatMulNBits, output SQNR >= 15 dB', async () => {
    const model = transformerEncoder({ model: 256, heads: 8, ffn: 1024 });
    const result = await quantizeInt4(model, 'block.onnx', defaults);
    assert.equal(result.model.graph.nodes.filter((n) => n.opType === 'MatMul' && n.domain === '').length, result.keptFloat.length);
    assert.ok(result.keptFloat.every((k) => /not a constant/.test(k.reason)), 'only activation x activation MatMuls stay float');
    const held = normalFeeds({ tokens: [1, 128, 256] }, 3, 2);
    const sqnr = pooledSqnr(await runOutputs(model, held), await runOutputs(result.model, held));
    console.log(`      transformer block int4 block 32: ${sqnr.toFixed(1)} dB`);
    assert.ok(sqnr >= 15, `${sqnr.toFixed(1)} dB`);
    const bytesBefore = (await writeModelBytes(model)).byteLength;
    const bytesAfter = (await writeModelBytes(result.model)).byteLength;
    assert.ok(bytesAfter < bytesBefore / 4, `${bytesAfter} bytes of ${bytesBefore}`);
  });

  it('tiny decoder LLM with KV cache: output SQNR >= 15 dB on logits and present key/values', async () => {
    const model = tinyLlm({ model: 64, heads: 4, layers: 2, vocab: 256 });
    const result = await quantizeInt4(model, 'llm.onnx', defaults);
    assert.ok(result.nodesQuantized >= 8);
    const rng = new Rng(4);
    const held: Feeds[] = Array.from({ length: 3 }, () => ({
      input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: 16 }, () => BigInt(Math.floor(rng.uniform() * 256))), [1, 16]),
      ...Object.fromEntries(model.graph.inputs.slice(1).map((i) => [i.name, new ort.Tensor('float32', rng.normalArray(4 * 8 * 16, 1), [1, 4, 8, 16])])),
    }));
    const sqnr = pooledSqnr(await runOutputs(model, held), await runOutputs(result.model, held));
    console.log(`      tiny LLM int4 block 32: ${sqnr.toFixed(1)} dB`);
    assert.ok(sqnr >= 15, `${sqnr.toFixed(1)} dB`);
  });

  it('gives the same bytes twice, and honours keepFloat', async () => {
    const model = transformerEncoder({ model: 64, heads: 4, ffn: 128 });
    const a = await quantizeInt4(model, 'm.onnx', defaults);
    const b = await quantizeInt4(model, 'm.onnx', defaults);
    assert.deepEqual(await writeModelBytes(a.model), await writeModelBytes(b.model));
    const kept = await quantizeInt4(model, 'm.onnx', { ...defaults, keepFloat: [compileGlob('*fc1*')] });
    assert.ok(kept.keptFloat.some((k) => k.reason === 'keepFloat' && k.node.includes('fc1')));
    assert.equal(kept.nodesQuantized, a.nodesQuantized - 1);
  });

  it('refuses a model without constant MatMul weights in one line', async () => {
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    const noGemm: Model = { ...model, graph: { ...model.graph, nodes: model.graph.nodes.filter((n) => n.opType !== 'Gemm') } };
    await assert.rejects(quantizeInt4(noGemm, 'cnn.onnx', defaults), (e: unknown) => e instanceof QuantizeInputError && /^cnn\.onnx: int4-weight quantizes constant MatMul\/Gemm weights, but it has no MatMul or Gemm/.test(e.message));
  });
});
