import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './runCli';

describe('aios run', () => {
  it('finds use cases in folders and reports every stage honestly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-run-'));
    mkdirSync(join(dir, 'a', 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'a', 'one.usecase.yaml'), 'name: one\n');
    writeFileSync(join(dir, 'two.usecase.yaml'), 'name: two\n');
    writeFileSync(join(dir, 'a', 'node_modules', 'ignored.usecase.yaml'), 'name: ignored\n');
    const run = await runCliCaptured(['run', '.', '--json'], dir);
    const doc = JSON.parse(run.stdout) as { useCases: Array<{ file: string; stages: Array<{ stage: string; status: string }> }> };
    assert.deepEqual(doc.useCases.map((u) => u.file), [join('a', 'one.usecase.yaml'), 'two.usecase.yaml']);
    for (const u of doc.useCases) {
      assert.deepEqual(u.stages.map((s) => s.stage), ['validate', 'inspect', 'quantize', 'profile', 'release']);
      assert.ok(u.stages.every((s) => s.status !== 'passed' || s.stage !== 'release'), 'nothing claims a release');
    }
  });

  it('exits 2 when the path does not exist', async () => {
    const run = await runCliCaptured(['run', 'no/such/folder']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no such file or folder/);
  });
});
