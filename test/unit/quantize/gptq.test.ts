import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelBuilder, Rng } from '../../../src/core/onnx/builder';
import { tinyLlm, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { upperCholeskyOfInverse } from '../../../src/core/quantize/gptq';
import { addGramOutputs, HessianAccumulator } from '../../../src/core/quantize/hessian';
import { quantizeInt4, type Int4Options } from '../../../src/core/quantize/int4';
import { openModelSession, type RuntimeTensor } from '../../../src/core/runtime';
import { hasPythonOnnx, SYSTEM_PYTHON } from '../onnx-io/reference';
import { noPythonOnnx, skipBecause } from '../skipBecause';
import { assertMatchesDequantized, pythonInt4Reference } from './int4Reference';
import { pooledSqnr, runOutputs, type Feeds } from './ortRunner';

const defaults: Int4Options = { blockSize: 32, symmetric: true, keepFloat: [] };

/** X^T X of every int4 MatMul input over `samples`, as the quantize run computes it. */
async function hessians(model: Model, samples: readonly Feeds[]): Promise<ReadonlyMap<string, Float64Array>> {
  const gram = await addGramOutputs(model, []);
  const acc = new HessianAccumulator(gram.grams);
  const session = await openModelSession(gram.model);
  try {
    for (const feeds of samples) acc.add(await session.run(feeds as unknown as Record<string, RuntimeTensor>, { fetch: acc.outputs }));
  } finally {
    await session.release();
  }
  return acc.hessians;
}

/** Token ids uniform over the vocabulary, a sequence of `seq` after `past` cached positions (normal keys/values). */
function llmFeeds(model: Model, count: number, seq: number, past: number, vocab: number, seed: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: seq }, () => BigInt(Math.floor(rng.uniform() * vocab))), [1, seq]),
    ...Object.fromEntries(model.graph.inputs.slice(1).map((i) => [i.name, new ort.Tensor('float32', rng.normalArray(4 * past * 16, 1), [1, 4, past, 16])])),
  }));
}

/** x [rows, k] x constant w [k, n]. */
function linearModel(rows: number, k: number, n: number): Model {
  const b = new ModelBuilder({ name: 'linear', seed: 3 });
  const x = b.input('x', DataType.FLOAT, [rows, k]);
  b.output(b.op('MatMul', [x, b.weight('w', [k, n], 0.1)], undefined, 'y'), DataType.FLOAT);
  return b.buildModel();
}

/**
 * Inputs with correlated features of unequal scale, as real activations have: each row is
 * z A diag(s) with z standard normal, A a fixed random mixing and s log-normal channel scales.
 */
function correlatedFeeds(rows: number, k: number, count: number, seed: number): Feeds[] {
  const fixed = new Rng(99);
  const mix = fixed.normalArray(k * k, 1 / Math.sqrt(k));
  const scale = Array.from({ length: k }, () => Math.exp(fixed.normal()));
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const z = rng.normalArray(k, 1);
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let i = 0; i < k; i++) v += z[i]! * mix[i * k + j]!;
        x[r * k + j] = v * scale[j]!;
      }
    }
    return { x: new ort.Tensor('float32', x, [rows, k]) };
  });
}

describe('int4 GPTQ (MatMulNBits fitted to calibration activations)', function () {
  this.timeout(600_000);

  it('U from upperCholeskyOfInverse is upper triangular with U^T U H = I', () => {
    const k = 37;
    const rng = new Rng(5);
    const a = rng.normalArray(k * 3 * k, 1);
    const h = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < 3 * k; r++) h[i * k + j]! += a[r * k + i]! * a[r * k + j]!;
    const u = upperCholeskyOfInverse(h, k)!;
    let worst = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < i; j++) assert.equal(u[i * k + j], 0);
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let p = 0; p < k; p++) {
          let utu = 0;
          for (let q = 0; q <= Math.min(i, p); q++) utu += u[q * k + i]! * u[q * k + p]!;
          v += utu * h[p * k + j]!;
        }
        worst = Math.max(worst, Math.abs(v - (i === j ? 1 : 0)));
      }
    }
    assert.ok(worst < 1e-8, `U^T U H differs from I by ${worst}`);
    const singular = new Float64Array(k * k);
    assert.equal(upperCholeskyOfInverse(singular, k), undefined, 'not positive definite');
  });

  for (const symmetric of [true, false]) {
    it(`${symmetric ? 'symmetric' : 'asymmetric'} linear layer with correlated inputs: packing read by numpy as the spec says, ORT computes x dequant(B), held-out output error below round to nearest`, async function () {
      if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
      const k = 200; // not a multiple of the block: the last block is padded
      const model = linearModel(64, k, 24);
      const calibration = correlatedFeeds(64, k, 16, 1);
      const held = correlatedFeeds(64, k, 8, 2);
      const h = await hessians(model, calibration);
      const options = { ...defaults, symmetric };
      const gptq = await quantizeInt4(model, 'linear.onnx', { ...options, method: 'gptq', hessians: h });
      const again = await quantizeInt4(model, 'linear.onnx', { ...options, method: 'gptq', hessians: h });
      assert.deepEqual(await writeModelBytes(gptq.model), await writeModelBytes(again.model), 'the same bytes twice');
      const rtn = await quantizeInt4(model, 'linear.onnx', options);
      const reference = await runOutputs(model, held);
      const sqnr = { rtn: pooledSqnr(reference, await runOutputs(rtn.model, held)), gptq: pooledSqnr(reference, await runOutputs(gptq.model, held)) };
      console.log(`      linear ${symmetric ? 'sym' : 'asym'}: rtn ${sqnr.rtn.toFixed(1)} dB, gptq ${sqnr.gptq.toFixed(1)} dB`);
      assert.ok(sqnr.gptq > sqnr.rtn + 1, JSON.stringify(sqnr));

      const dir = mkdtempSync(join(tmpdir(), 'aios-gptq-'));
      try {
        writeFileSync(join(dir, 'q.onnx'), await writeModelBytes(gptq.model));
        writeFileSync(join(dir, 'f.onnx'), await writeModelBytes(model));
        const ref = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', pythonInt4Reference, join(dir, 'q.onnx'), join(dir, 'f.onnx'), symmetric ? 'sym' : 'asym'], { encoding: 'utf8' })) as { deq: number[] };
        const [got] = (await runOutputs(gptq.model, [held[0]!]))[0]!;
        assertMatchesDequantized(held[0]!['x']!.data as Float32Array, ref.deq, got!, 64, k, 24);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('fewer calibration rows than inputs (a singular H): damping makes it invertible, still a usable layer', async () => {
    const model = linearModel(4, 200, 24);
    const h = await hessians(model, correlatedFeeds(4, 200, 2, 3));
    const gptq = await quantizeInt4(model, 'linear.onnx', { ...defaults, method: 'gptq', hessians: h });
    const held = correlatedFeeds(4, 200, 4, 4);
    const sqnr = pooledSqnr(await runOutputs(model, held), await runOutputs(gptq.model, held));
    assert.ok(Number.isFinite(sqnr) && sqnr > 10, `${sqnr} dB`);
  });

  it('without a Hessian for a MatMul input, gptq refuses instead of silently rounding', async () => {
    await assert.rejects(quantizeInt4(linearModel(4, 64, 8), 'linear.onnx', { ...defaults, method: 'gptq', hessians: new Map() }), /no calibration Hessian for x/);
  });

  it('tiny decoder LLM at the bench sizes (seq 128): held-out SQNR rtn vs gptq', async () => {
    const model = tinyLlm({ model: 64, heads: 4, layers: 2, vocab: 256, maxPositions: 512 });
    const calibration = llmFeeds(model, 8, 128, 1, 256, 11);
    const held = llmFeeds(model, 4, 128, 1, 256, 12);
    const reference = await runOutputs(model, held);
    const h = await hessians(model, calibration);
    const rtn = pooledSqnr(reference, await runOutputs((await quantizeInt4(model, 'llm.onnx', defaults)).model, held));
    const gptq = pooledSqnr(reference, await runOutputs((await quantizeInt4(model, 'llm.onnx', { ...defaults, method: 'gptq', hessians: h })).model, held));
    console.log(`      tiny LLM seq 128: rtn ${rtn.toFixed(1)} dB, gptq ${gptq.toFixed(1)} dB`);
    // Measured 16.6 dB (rtn 14.8 dB) on the held-out samples, outputs pooled.
    assert.ok(gptq >= 15, `${gptq.toFixed(1)} dB`);
    assert.ok(gptq > rtn + 0.5, `gptq ${gptq.toFixed(1)} dB vs rtn ${rtn.toFixed(1)} dB`);
  });

  it('transformer block 1x128x256: held-out SQNR rtn vs gptq', async () => {
    const model = transformerEncoder({ model: 256, heads: 8, ffn: 1024 });
    const rng = new Rng(21);
    const feeds = (n: number) => Array.from({ length: n }, () => ({ tokens: new ort.Tensor('float32', rng.normalArray(128 * 256, 1), [1, 128, 256]) }));
    const calibration = feeds(8);
    const held = feeds(3);
    const reference = await runOutputs(model, held);
    const h = await hessians(model, calibration);
    const rtn = pooledSqnr(reference, await runOutputs((await quantizeInt4(model, 'block.onnx', defaults)).model, held));
    const gptq = pooledSqnr(reference, await runOutputs((await quantizeInt4(model, 'block.onnx', { ...defaults, method: 'gptq', hessians: h })).model, held));
    console.log(`      transformer block: rtn ${rtn.toFixed(1)} dB, gptq ${gptq.toFixed(1)} dB`);
    // Measured 23.8 dB (rtn 23.7 dB): with white-noise inputs H is near a multiple of I, where GPTQ reduces to rounding.
    assert.ok(gptq >= 20, `${gptq.toFixed(1)} dB`);
    assert.ok(gptq >= rtn - 0.3, `gptq ${gptq.toFixed(1)} dB vs rtn ${rtn.toFixed(1)} dB`);
  });
});
