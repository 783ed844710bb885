import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../src/core/onnx/builder';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelFile } from '../../../src/core/onnx/write';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { runCliCaptured } from '../cli/runCli';

const useCase = (extra = '') => `apiVersion: aios/v1
kind: UseCase
name: dms
domain: cockpit
model:
  path: models/cnn.onnx
calibration:
  data: calib/
  samples: 4
quantization:
  precision: int8
  method: percentile
  minSqnrDb: 25
${extra}`;

function npy(values: Float32Array, shape: number[]): Uint8Array {
  return encodeNpy({ dtype: 'float32', shape, data: values });
}

describe('aios quantize (CLI, job process, run record)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-quantize-'));
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'calib'));
    await writeModelFile(cnnClassifier({ inputShape: [1, 3, 32, 32] }), join(dir, 'models', 'cnn.onnx'));
    const rng = new Rng(4);
    for (let k = 0; k < 5; k++) writeFileSync(join(dir, 'calib', `${k}.npy`), npy(rng.normalArray(3 * 32 * 32, 1), [1, 3, 32, 32]));
    writeFileSync(join(dir, 'dms.usecase.yaml'), useCase());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('quantizes a use case to <model>.int8.onnx beside the model, with the SPEC JSON and a run record', async () => {
    const run = await runCliCaptured(['quantize', 'dms.usecase.yaml', '--json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.output, join('models', 'cnn.int8.onnx'));
    assert.equal(json.precision, 'int8');
    assert.ok(json.nodesQuantized > 0);
    assert.equal(typeof json.nodesKeptFloat, 'number');
    assert.ok(json.sizeAfter < json.sizeBefore / 2, `${json.sizeAfter} of ${json.sizeBefore} bytes`);
    assert.ok(json.outputSqnrDb >= 25, `${json.outputSqnrDb} dB`);
    // Ranges from the first 3 samples, the output SQNR on the held-out fourth.
    assert.deepEqual(json.calibration, { data: join(dir, 'calib'), synthetic: false, samples: 4, method: 'percentile', calibrated: 3, judged: 1, judgedIds: ['3.npy'] });
    assert.equal(json.gatePassed, true);
    const record = JSON.parse(readFileSync(join(dir, '.aios', 'runs', json.runId, 'run.json'), 'utf8'));
    assert.equal(record.kind, 'quantize');
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(record.outputs.map((o: { path: string }) => o.path), [join(dir, 'models', 'cnn.int8.onnx')]);
    assert.ok(record.inputs.some((i: { path: string }) => i.path === join(dir, 'models', 'cnn.onnx')));
    const written = await readModelFile(join(dir, 'models', 'cnn.int8.onnx'));
    assert.ok(written.graph.nodes.some((n) => n.opType === 'QuantizeLinear'));
  });

  it('takes a model with flags, labels synthetic data, and exits 1 when the output SQNR is under --min-sqnr', async () => {
    const run = await runCliCaptured(['quantize', 'models/cnn.onnx', '--calibration', 'synthetic', '--samples', '2', '--min-sqnr', '150', '--out', 'out.onnx'], dir);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /1 of 2 SYNTHETIC samples/);
    assert.match(run.stdout, /output SQNR .* on 1 held-out synthetic sample of 2 \(gate 150 dB: FAILED\)/);
    assert.match(run.stdout, /gate 150 dB: FAILED/);
    assert.ok(existsSync(join(dir, 'out.onnx')));
  });

  const bad: Array<[string, (dir: string) => void | Promise<void>, string[], RegExp]> = [
    ['an empty calibration folder', (d) => readdirSync(join(d, 'calib')).forEach((f) => rmSync(join(d, 'calib', f))), ['dms.usecase.yaml'], /calib holds no samples/],
    ['a sample of the wrong shape', (d) => writeFileSync(join(d, 'calib', '0.npy'), npy(new Float32Array(3 * 16 * 16), [1, 3, 16, 16])), ['dms.usecase.yaml'], /0\.npy.*input/],
    ['NaN in the data', (d) => writeFileSync(join(d, 'calib', '0.npy'), npy(new Float32Array(3 * 32 * 32).fill(NaN), [1, 3, 32, 32])), ['dms.usecase.yaml'], /0\.npy.*(NaN|finite)/i],
    ['an already-quantized model', () => undefined, ['models/cnn.int8.onnx', '--calibration', 'synthetic'], /already quantized.*QuantizeLinear/],
    ['a file that is not a model', (d) => writeFileSync(join(d, 'models', 'cnn.onnx'), 'not a model'), ['dms.usecase.yaml'], /models\/cnn\.onnx/],
    ['precision fp32', (d) => writeFileSync(join(d, 'dms.usecase.yaml'), useCase().replace('precision: int8', 'precision: fp32')), ['dms.usecase.yaml'], /fp32, so there is nothing to quantize/],
  ];
  for (const [what, setUp, args, message] of bad) {
    it(`refuses ${what} with one line naming it (exit 2) and writes nothing`, async () => {
      if (what === 'an already-quantized model') assert.equal((await runCliCaptured(['quantize', 'dms.usecase.yaml'], dir)).code, 0);
      await setUp(dir);
      const before = readdirSync(join(dir, 'models')).sort();
      const run = await runCliCaptured(['quantize', ...args], dir);
      assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').filter((l) => l.startsWith('aios: ') && !l.includes(' running (log:')).length, 1, run.stderr);
      assert.deepEqual(readdirSync(join(dir, 'models')).sort(), before, 'no output file, no temp file');
    });
  }
});
