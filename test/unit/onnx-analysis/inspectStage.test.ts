import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { inspectStage } from '../../../src/core/pipeline/inspectStage';

describe('pipeline stage inspect', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-inspect-stage-'));
    mkdirSync(join(dir, '.aios'));
    mkdirSync(join(dir, 'models'));
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32] }), join(dir, 'models', 'cnn.onnx'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (yaml: string) => {
    const file = join(dir, `case-${Math.random().toString(36).slice(2)}.usecase.yaml`);
    writeFileSync(file, yaml);
    return inspectStage().run(file, { fs: nodeFileSystem, previous: [] });
  };

  it('inspects the model with the use case input shapes', async () => {
    const r = await run('model:\n  path: models/cnn.onnx\n  inputs: [{name: input, shape: [1, 3, 32, 32]}]\n');
    assert.equal(r.status, 'passed', r.detail);
    assert.match(r.detail, /^\d+ nodes, [\d.]+ MFLOPs, [\d.]+ k params, [\d.]+ KiB weights$/);
    const symbolic = await run('model:\n  path: models/cnn.onnx\n');
    assert.equal(symbolic.status, 'passed');
    assert.match(symbolic.detail, />= 0 FLOPs \(\d+ nodes of unknown cost\)/);
  });

  it('writes a small parameter count as a plain number with one space', async () => {
    await writeModelFile(cnnClassifier({ inputShape: [1, 1, 8, 8], stages: [2], classes: 2 }), join(dir, 'models', 'small.onnx'));
    const r = await run('model:\n  path: models/small.onnx\n');
    assert.equal(r.status, 'passed', r.detail);
    assert.match(r.detail, /, \d{1,3} params, /);
  });

  it('fails with the reason when the model is missing, outside the workspace or the shapes do not fit', async () => {
    assert.deepEqual(await run('model:\n  path: models/none.onnx\n'), { stage: 'inspect', status: 'failed', detail: 'model models/none.onnx not found' });
    const outside = await run('model:\n  path: ../../etc/passwd\n');
    assert.equal(outside.status, 'failed');
    assert.match(outside.detail, /leaves the workspace/);
    const misfit = await run('model:\n  path: models/cnn.onnx\n  inputs: [{name: input, shape: [1, 4, 32, 32]}]\n');
    assert.equal(misfit.status, 'failed');
    assert.match(misfit.detail, /model.inputs do not fit models\/cnn.onnx: input 'input' dim 1 is fixed at 3/);
    writeFileSync(join(dir, 'models', 'broken.onnx'), 'not a model at all');
    const broken = await run('model:\n  path: models/broken.onnx\n');
    assert.equal(broken.status, 'failed');
    assert.match(broken.detail, /^models\/broken.onnx: /);
  });
});
