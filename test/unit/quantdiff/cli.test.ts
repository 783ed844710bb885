import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { encodeNpy } from '../../../src/core/runtime/npy';
import { openSampleSource } from '../../../src/core/runtime/samples';
import { Rng } from '../../../src/core/onnx/builder/random';
import { runCliCaptured } from '../cli/runCli';
import { fakeQdq } from './fakeQdq';

describe('aios quantdiff', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quantdiff-cli-'));
    const model = cnnClassifier({ inputShape: [1, 3, 32, 32], stages: [8, 16], classes: 10 });
    await writeModelFile(model, join(dir, 'cnn.onnx'));
    await writeModelFile(await fakeQdq(model, await openSampleSource('synthetic', model.graph, { samples: 2 })), join(dir, 'cnn.int8.onnx'));
    mkdirSync(join(dir, 'data'));
    const rng = new Rng(5);
    for (let k = 0; k < 3; k++) writeFileSync(join(dir, 'data', `img${k}.npy`), encodeNpy({ dtype: 'float32', shape: [1, 3, 32, 32], data: rng.uniformArray(3 * 32 * 32, 0, 1) }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json gives outputs and tensors per SPEC, from the .npy samples, and records the run', async () => {
    const r = await runCliCaptured(['quantdiff', 'cnn.onnx', 'cnn.int8.onnx', '--data', 'data', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      outputs: Array<{ name: string; sqnrDb: number; cosine: number; maxAbsErr: number; decisionAgreement?: number }>;
      tensors: Array<{ name: string; node: string; op: string; sqnrDb: number; cosine: number; maxAbsErr: number }>;
      data: { synthetic: boolean; samples: number };
      runId: string;
    };
    assert.deepEqual(out.outputs.map((o) => o.name), ['logits']);
    assert.ok(out.outputs[0]!.sqnrDb > 10 && out.outputs[0]!.cosine > 0.9 && out.outputs[0]!.maxAbsErr > 0);
    assert.ok(out.tensors.length > 5 && out.tensors.every((t) => t.node !== '' && t.op !== '' && typeof t.sqnrDb === 'number'));
    assert.deepEqual(out.data, { description: `3 samples from ${join(dir, 'data')}`, synthetic: false, samples: 3 });
    const record = JSON.parse(readFileSync(join(dir, '.aios', 'runs', out.runId, 'run.json'), 'utf8')) as { kind: string; status: string; command: string; inputs: Array<{ path: string }> };
    assert.equal(record.kind, 'quantdiff');
    assert.equal(record.status, 'succeeded');
    assert.equal(record.command, 'aios quantdiff cnn.onnx cnn.int8.onnx --data data');
    assert.equal(record.inputs.length, 2);
  });

  it('prints tables for people and says when the inputs are synthetic', async () => {
    const r = await runCliCaptured(['quantdiff', 'cnn.onnx', 'cnn.int8.onnx', '--samples', '2'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Inputs: 2 synthetic samples \(seed 1\) — synthetic data/);
    assert.match(r.stdout, /output\s+SQNR dB\s+cosine\s+max \|err\|\s+top-1 agreement/);
    assert.match(r.stdout, /^logits\s+\d+\.\d/m);
    assert.match(r.stdout, /tensor\s+node\s+op\s+SQNR dB/);
  });

  it('bad input: exit 2 with one line naming the file and the input, and no page written', async () => {
    writeFileSync(join(dir, 'data', 'img1.npy'), encodeNpy({ dtype: 'float32', shape: [1, 3, 32, 32], data: new Float32Array(3 * 32 * 32).fill(NaN) }));
    const r = await runCliCaptured(['quantdiff', 'cnn.onnx', 'cnn.int8.onnx', '--data', 'data', '--html', 'diff.html'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /img1\.npy \(model input input\): element 0 is NaN/);
    assert.equal(existsSync(join(dir, 'diff.html')), false);
    const missing = await runCliCaptured(['quantdiff', 'nope.onnx', 'cnn.int8.onnx'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.onnx: no such file/);
    const noData = await runCliCaptured(['quantdiff', 'cnn.onnx', 'cnn.int8.onnx', '--data', 'missing'], dir);
    assert.equal(noData.code, 2);
    assert.match(noData.stderr, /--data missing: no such folder/);
  });
});
