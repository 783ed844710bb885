import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { nodeFileSystem, type FileSystem } from '../../../src/core/fs';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { overallStatus, runPipeline, runStatus, type PipelineStage, type StageContext } from '../../../src/core/pipeline/pipeline';
import { pipelineStages } from '../../../src/core/pipeline/stages';
import { builtinTargetInputs } from '../../../src/core/soc/catalog';
import { testHost } from '../usecase/workspace';

const useCase = (name: string, model: string) => `apiVersion: aios/v1
kind: UseCase
name: ${name}
domain: adas
model:
  path: ${model}
  inputs: [{name: input, shape: [1, 3, 32, 32]}]
`;

/** Counts reads per path, to prove the use case is read once per run. */
function countingFs(): { fs: FileSystem; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    fs: {
      ...nodeFileSystem,
      readFile: (path, signal) => {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        return nodeFileSystem.readFile(path, signal);
      },
    },
  };
}

describe('pipeline', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-pipeline-'));
    mkdirSync(join(dir, '.aios'));
    mkdirSync(join(dir, 'models'));
    await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32] }), join(dir, 'models', 'cnn.onnx'));
    writeFileSync(join(dir, 'good.usecase.yaml'), useCase('good', 'models/cnn.onnx'));
    writeFileSync(join(dir, 'outside.usecase.yaml'), useCase('outside', '../../etc/passwd'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and validates the use case once and hands later stages the typed use case, root, model and earlier artifacts', async () => {
    const seen: StageContext[] = [];
    const spy: PipelineStage = {
      name: 'quantize',
      run: async (context) => {
        seen.push(context);
        return { status: 'passed', detail: 'spy' };
      },
    };
    const { loader, stages } = pipelineStages();
    const { fs, reads } = countingFs();
    const file = join(dir, 'good.usecase.yaml');
    const [run] = await runPipeline([file], { loader, stages: [stages[0]!, spy] }, fs);
    assert.deepEqual(run?.stages.map((s) => [s.name, s.status]), [['validate', 'passed'], ['inspect', 'passed'], ['quantize', 'passed']]);
    assert.equal(reads.get(file), 1, 'the use case file is read once');
    const context = seen[0];
    assert.ok(context);
    assert.equal(context.workspaceRoot, dir);
    assert.equal(context.useCase.name, 'good');
    assert.equal(context.useCase.targets.length, 0, 'schema defaults are applied');
    assert.deepEqual(context.model, { reference: 'models/cnn.onnx', path: join(dir, 'models', 'cnn.onnx') });
    assert.deepEqual(context.artifacts.inspect?.summary.inputs[0]?.shape, [1, 3, 32, 32]);
    assert.deepEqual(context.previous.map((s) => s.name), ['validate', 'inspect']);
  });

  it('validates the use case, not a workspace target file, when .aios/targets holds one', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'aios-pipeline-targets-'));
    try {
      mkdirSync(join(ws, '.aios', 'targets'), { recursive: true });
      mkdirSync(join(ws, 'models'));
      await writeModelFile(cnnClassifier({ inputShape: ['batch', 3, 32, 32] }), join(ws, 'models', 'cnn.onnx'));
      writeFileSync(join(ws, 'good.usecase.yaml'), useCase('good', 'models/cnn.onnx'));
      // A valid workspace target: a built-in one under another id.
      const [orin] = builtinTargetInputs(testHost).filter((t) => t.id === 'nvidia-drive-orin');
      writeFileSync(join(ws, '.aios', 'targets', 'lab-board.soc.yaml'), stringify({ ...orin, id: 'lab-board', name: 'Lab board' }));
      const { loader } = pipelineStages();
      const [run] = await runPipeline([join(ws, 'good.usecase.yaml')], { loader, stages: [] }, nodeFileSystem);
      assert.deepEqual(run?.stages.map((s) => [s.name, s.status, s.detail]).slice(0, 1), [['validate', 'passed', 'no errors']]);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('reports the stages that have not landed as unavailable, and the run as incomplete, not passed', async () => {
    const [run] = await runPipeline([join(dir, 'good.usecase.yaml')], pipelineStages(), nodeFileSystem);
    assert.deepEqual(run?.stages.map((s) => [s.name, s.status]), [['validate', 'passed'], ['inspect', 'passed'], ['quantize', 'passed'], ['profile', 'skipped'], ['release', 'skipped']]);
    assert.equal(run?.stages[2]?.detail, 'not quantized: the model ships in fp32', 'a use case without a quantization section has nothing to quantize');
    assert.equal(run?.status, 'incomplete');
  });

  it('fails validate for a model outside the workspace and skips every later stage without running it', async () => {
    let ran = 0;
    const spy: PipelineStage = { name: 'inspect', run: async () => ((ran += 1), { status: 'passed', detail: '' }) };
    const [run] = await runPipeline([join(dir, 'outside.usecase.yaml')], { loader: pipelineStages().loader, stages: [spy] }, nodeFileSystem);
    assert.equal(run?.stages[0]?.status, 'failed');
    assert.match(run?.stages[0]?.detail ?? '', /leaves the workspace/);
    assert.deepEqual(run?.stages[1], { name: 'inspect', status: 'skipped', detail: 'validate failed' });
    assert.equal(ran, 0);
    assert.equal(run?.status, 'failed');
  });

  it('a run passes only when every stage passed; failed beats incomplete', () => {
    assert.equal(runStatus([{ name: 'validate', status: 'passed', detail: '' }]), 'passed');
    assert.equal(runStatus([{ name: 'validate', status: 'passed', detail: '' }, { name: 'release', status: 'unavailable', detail: '' }]), 'incomplete');
    assert.equal(runStatus([{ name: 'validate', status: 'failed', detail: '' }, { name: 'inspect', status: 'skipped', detail: '' }]), 'failed');
    assert.equal(overallStatus([{ status: 'passed' }, { status: 'incomplete' }]), 'incomplete');
    assert.equal(overallStatus([{ status: 'failed' }, { status: 'incomplete' }]), 'failed');
    assert.equal(overallStatus([{ status: 'passed' }, { status: 'passed' }]), 'passed');
  });
});
