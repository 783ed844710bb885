import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { DataType } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelFile } from '../../../src/core/onnx/write';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { runCliCaptured } from '../cli/runCli';

describe('aios quantize --precision fp16 | int4-weight | mixed (CLI, job process)', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-precisions-'));
    mkdirSync(join(dir, 'calib'));
    await writeModelFile(cnnClassifier({ inputShape: [1, 3, 32, 32] }), join(dir, 'cnn.onnx'));
    await writeModelFile(transformerEncoder({ model: 64, heads: 4, ffn: 128 }), join(dir, 'block.onnx'));
    const rng = new Rng(4);
    for (let k = 0; k < 4; k++) writeFileSync(join(dir, 'calib', `${k}.npy`), encodeNpy({ dtype: 'float32', shape: [1, 3, 32, 32], data: rng.normalArray(3 * 32 * 32, 1) }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fp16: writes <model>.fp16.onnx with float16 weights and reports its SQNR against fp32', async () => {
    const run = await runCliCaptured(['quantize', 'cnn.onnx', '--precision', 'fp16', '--calibration', 'calib', '--min-sqnr', '55', '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.output, 'cnn.fp16.onnx');
    assert.equal(json.precision, 'fp16');
    assert.ok(json.outputSqnrDb >= 55, `${json.outputSqnrDb} dB`);
    const model = await readModelFile(join(dir, 'cnn.fp16.onnx'));
    assert.ok(model.graph.initializers.some((t) => t.dataType === DataType.FLOAT16));
    assert.ok(json.sizeAfter < json.sizeBefore * 0.6);
  });

  it('fp16 on an fp16 model: exit 2, one line, nothing written', async () => {
    const run = await runCliCaptured(['quantize', 'cnn.fp16.onnx', '--precision', 'fp16', '--calibration', 'calib', '--out', 'again.onnx'], dir);
    assert.equal(run.code, 2);
    const errors = run.stderr.trim().split('\n').filter((l) => !/ running \(log: /.test(l));
    assert.equal(errors.length, 1, run.stderr);
    assert.match(errors[0]!, /^aios: cnn\.fp16\.onnx is already fp16 \(\d+ float16 weights, no float32 ones\)/);
    assert.ok(!existsSync(join(dir, 'again.onnx')));
  });

  it('int4-weight: MatMulNBits with the chosen block size, asymmetric, synthetic data labelled', async () => {
    const run = await runCliCaptured(['quantize', 'block.onnx', '--precision', 'int4-weight', '--block-size', '64', '--asymmetric', '--input', 'tokens=1,16,64', '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.output, 'block.int4-weight.onnx');
    assert.equal(json.calibration.synthetic, true);
    assert.ok(json.outputSqnrDb >= 15, `${json.outputSqnrDb} dB`);
    const model = await readModelFile(join(dir, 'block.int4-weight.onnx'));
    const nbits = model.graph.nodes.filter((n) => n.opType === 'MatMulNBits');
    assert.equal(nbits.length, json.nodesQuantized);
    for (const n of nbits) {
      assert.equal(n.inputs.length, 4, 'asymmetric: zero points given');
      const blockSize = n.attributes.find((a) => a.name === 'block_size')?.value;
      assert.deepEqual(blockSize, { type: 'int', value: 64n });
    }
  });

  it('int4-weight with a calibration folder: GPTQ by default (said in the notes), --int4-method rtn rounds to nearest; both run in ORT', async () => {
    mkdirSync(join(dir, 'tokens'));
    const rng = new Rng(8);
    for (let k = 0; k < 4; k++) writeFileSync(join(dir, 'tokens', `${k}.npy`), encodeNpy({ dtype: 'float32', shape: [1, 16, 64], data: rng.normalArray(16 * 64, 1) }));
    const gptq = await runCliCaptured(['quantize', 'block.onnx', '--precision', 'int4-weight', '--calibration', 'tokens', '--out', 'gptq.onnx', '--json'], dir);
    assert.equal(gptq.code, 0, gptq.stderr);
    const g = JSON.parse(gptq.stdout);
    assert.match(g.notes[0], /^int4 weights by GPTQ, fitted to the activations of 4 calibration samples/);
    assert.ok(g.outputSqnrDb >= 15, `${g.outputSqnrDb} dB`);
    const rtn = await runCliCaptured(['quantize', 'block.onnx', '--precision', 'int4-weight', '--int4-method', 'rtn', '--calibration', 'tokens', '--out', 'rtn.onnx', '--json'], dir);
    assert.equal(rtn.code, 0, rtn.stderr);
    const r = JSON.parse(rtn.stdout);
    assert.match(r.notes[0], /^int4 weights rounded to nearest per block \(rtn\)/);
    assert.equal(r.nodesQuantized, g.nodesQuantized);
    const weights = async (file: string) => (await readModelFile(join(dir, file))).graph.initializers.filter((t) => t.name.endsWith('_Q4'));
    const [a, b] = [await weights('gptq.onnx'), await weights('rtn.onnx')];
    assert.equal(a.length, b.length);
    let differ = 0;
    for (const [i, t] of a.entries()) if (Buffer.compare(await t.data.read(), await b[i]!.data.read()) !== 0) differ++;
    assert.ok(differ > 0, 'GPTQ chose other codes than rounding');
    const bad = await runCliCaptured(['quantize', 'block.onnx', '--precision', 'int4-weight', '--int4-method', 'awq'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad --int4-method 'awq': expected rtn, gptq/);
  });

  it('int4-weight on a CNN without constant MatMul weights (Gemm removed): exit 2, one line', async () => {
    const m = cnnClassifier({ inputShape: [1, 3, 32, 32] });
    await writeModelFile({ ...m, graph: { ...m.graph, nodes: m.graph.nodes.filter((n) => n.opType !== 'Gemm'), outputs: [{ name: m.graph.nodes.filter((n) => n.opType !== 'Gemm').at(-1)!.outputs[0]!, type: { kind: 'tensor', elemType: DataType.FLOAT } }] } }, join(dir, 'convs.onnx'));
    const run = await runCliCaptured(['quantize', 'convs.onnx', '--precision', 'int4-weight', '--calibration', 'calib'], dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /convs\.onnx: int4-weight quantizes constant MatMul\/Gemm weights, but it has no MatMul or Gemm/);
  });

  it('mixed: keeps the fewest layers in float that reach the gate and says which and why', async () => {
    const all = JSON.parse((await runCliCaptured(['quantize', 'cnn.onnx', '--calibration', 'calib', '--out', 'all.onnx', '--json'], dir)).stdout);
    // A gate just above what all-int8 reaches, so at least one layer must go back to float.
    const gate = Math.round((all.outputSqnrDb + 1) * 10) / 10;
    const run = await runCliCaptured(['quantize', 'cnn.onnx', '--precision', 'mixed', '--calibration', 'calib', '--min-sqnr', String(gate), '--json'], dir);
    const json = JSON.parse(run.stdout);
    assert.equal(json.output, 'cnn.mixed.onnx');
    assert.equal(json.mixed.allInt8SqnrDb.toFixed(3), all.outputSqnrDb.toFixed(3), 'the search starts from the all-int8 model');
    const kept = json.mixed.layers.filter((l: { kept: boolean }) => l.kept);
    assert.ok(kept.length >= 1 && kept.length < json.mixed.layers.length, `${kept.length} of ${json.mixed.layers.length} kept`);
    assert.equal(run.code, json.outputSqnrDb >= gate ? 0 : 1);
    assert.ok(json.outputSqnrDb > all.outputSqnrDb, `${json.outputSqnrDb} vs ${all.outputSqnrDb}`);
    for (const l of kept) {
      assert.ok(json.keptFloat.some((k: { node: string; reason: string }) => k.node === l.node && /auto mixed precision: .* dB/.test(k.reason)));
      assert.equal(typeof l.gainDb, 'number');
    }
    // Ranked noisiest first: the kept layers are a prefix of the ranking.
    assert.deepEqual(json.mixed.layers.slice(0, kept.length).map((l: { node: string }) => l.node), kept.map((l: { node: string }) => l.node));
  });

  it('mixed without a gate: exit 2 asking for --min-sqnr', async () => {
    const run = await runCliCaptured(['quantize', 'cnn.onnx', '--precision', 'mixed', '--calibration', 'calib'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /pass --min-sqnr DB/);
  });
});
