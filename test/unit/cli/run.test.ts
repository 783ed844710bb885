import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnClassifier } from '../../../src/core/onnx/fixtures';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from './runCli';

interface RunJson {
  status: string;
  passed: boolean;
  useCases: Array<{ file: string; status: string; stages: Array<{ name: string; status: string; detail: string }> }>;
}

const valid = `apiVersion: aios/v1
kind: UseCase
name: valid
domain: adas
model:
  path: models/cnn.onnx
`;

describe('aios run', () => {
  it('finds use cases in folders and reports every stage honestly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-run-'));
    mkdirSync(join(dir, 'a', 'node_modules'), { recursive: true });
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'package.json'), '{}');
    await writeModelFile(cnnClassifier({ inputShape: [1, 3, 16, 16] }), join(dir, 'models', 'cnn.onnx'));
    writeFileSync(join(dir, 'a', 'one.usecase.yaml'), 'name: one\n');
    writeFileSync(join(dir, 'two.usecase.yaml'), valid);
    writeFileSync(join(dir, 'a', 'node_modules', 'ignored.usecase.yaml'), 'name: ignored\n');
    const run = await runCliCaptured(['run', '.', '--json'], dir);
    const doc = JSON.parse(run.stdout) as RunJson;
    assert.deepEqual(doc.useCases.map((u) => u.file), [join('a', 'one.usecase.yaml'), 'two.usecase.yaml']);
    const statuses = (u: RunJson['useCases'][number] | undefined) => u?.stages.map((s) => `${s.name}:${s.status}`);
    // An invalid use case fails validation and nothing else runs on it.
    assert.deepEqual(statuses(doc.useCases[0]), ['validate:failed', 'inspect:skipped', 'quantize:skipped', 'profile:skipped', 'release:skipped']);
    assert.match(doc.useCases[0]?.stages[0]?.detail ?? '', /errors?, first at line 1: AIOS\d+ /);
    assert.equal(doc.useCases[0]?.status, 'failed');
    // A valid one passes what has landed and says which stages could not run.
    assert.deepEqual(statuses(doc.useCases[1]), ['validate:passed', 'inspect:passed', 'quantize:passed', 'profile:skipped', 'release:skipped']);
    assert.match(doc.useCases[1]?.stages[1]?.detail ?? '', /^\d+ nodes, /);
    assert.equal(doc.useCases[1]?.status, 'incomplete');
    assert.equal(doc.status, 'failed');
    assert.equal(doc.passed, false);
    assert.equal(run.code, 1);
  });

  it('an incomplete run (stages not available yet) is not passed: status incomplete, exit 1, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-run-'));
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'package.json'), '{}');
    await writeModelFile(cnnClassifier({ inputShape: [1, 3, 16, 16] }), join(dir, 'models', 'cnn.onnx'));
    writeFileSync(join(dir, 'valid.usecase.yaml'), valid);
    const json = await runCliCaptured(['run', '--json'], dir);
    const doc = JSON.parse(json.stdout) as RunJson;
    assert.equal(doc.status, 'incomplete');
    assert.equal(doc.passed, false);
    assert.equal(json.code, 1);
    const human = await runCliCaptured(['run'], dir);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /^valid\.usecase\.yaml +incomplete +passed +passed +passed +skipped +skipped$/m);
    assert.match(human.stdout, /Incomplete \(exit 1\): nothing failed, but the pipeline is not passed: some stages did not run\./);
  });

  it('exits 2 when the path does not exist', async () => {
    const run = await runCliCaptured(['run', 'no/such/folder']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no such file or folder/);
  });
});
