import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { inspectStage } from '../../../src/core/pipeline/inspectStage';
import type { StageContext } from '../../../src/core/pipeline/pipeline';
import { useCaseSchema, type TensorSpec } from '../../../src/core/usecase/schema';

describe('pipeline stage inspect', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-inspect-stage-'));
    mkdirSync(join(dir, '.aios'));
    mkdirSync(join(dir, 'models'));
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32] }), join(dir, 'models', 'cnn.onnx'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The stage gets the use case already loaded and typed: no file to read. */
  const run = async (reference: string, inputs?: TensorSpec[]) => {
    const useCase = useCaseSchema.parse({ apiVersion: 'aios/v1', kind: 'UseCase', name: 'inspect-me', domain: 'adas', model: { path: reference, ...(inputs ? { inputs } : {}) } });
    const context: StageContext = {
      file: join(dir, 'case.usecase.yaml'),
      workspaceRoot: dir,
      useCase,
      model: { reference, path: join(dir, reference) },
      fs: nodeFileSystem,
      previous: [],
      artifacts: {},
    };
    return inspectStage().run(context);
  };

  it('inspects the model with the use case input shapes and hands the summary on', async () => {
    const r = await run('models/cnn.onnx', [{ name: 'input', shape: [1, 3, 32, 32] }]);
    assert.equal(r.status, 'passed', r.detail);
    assert.match(r.detail, /^\d+ nodes, [\d.]+ MFLOPs, [\d.]+ k params, [\d.]+ KiB weights$/);
    assert.equal(r.artifacts?.inspect?.summary.unknownCostNodes, 0);
    assert.deepEqual(r.artifacts?.inspect?.summary.inputs[0]?.shape, [1, 3, 32, 32]);
    const symbolic = await run('models/cnn.onnx');
    assert.equal(symbolic.status, 'passed');
    assert.match(symbolic.detail, /^\d+ nodes, [\d.]+ MFLOPs for input=1×3×32×32 \(default sizes\), /);
  });

  it('writes a small parameter count as a plain number with one space', async () => {
    await writeModelFile(cnnClassifier({ inputShape: [1, 1, 8, 8], stages: [2], classes: 2 }), join(dir, 'models', 'small.onnx'));
    const r = await run('models/small.onnx');
    assert.equal(r.status, 'passed', r.detail);
    assert.match(r.detail, /, \d{1,3} params, /);
  });

  it('fails with the reason when the model is missing, broken or the shapes do not fit', async () => {
    assert.deepEqual(await run('models/none.onnx'), { status: 'failed', detail: 'model models/none.onnx not found' });
    const misfit = await run('models/cnn.onnx', [{ name: 'input', shape: [1, 4, 32, 32] }]);
    assert.equal(misfit.status, 'failed');
    assert.match(misfit.detail, /model.inputs do not fit models\/cnn.onnx: input 'input' dim 1 is fixed at 3/);
    writeFileSync(join(dir, 'models', 'broken.onnx'), 'not a model at all');
    const broken = await run('models/broken.onnx');
    assert.equal(broken.status, 'failed');
    assert.match(broken.detail, /^models\/broken.onnx: /);
  });
});
