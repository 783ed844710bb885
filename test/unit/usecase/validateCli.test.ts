import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { builtinTargetInputs } from '../../../src/core/soc/catalog';
import { join } from 'node:path';
import { runCliCaptured } from '../cli/runCli';
import { makeWorkspace, testHost } from './workspace';

const good = `apiVersion: aios/v1
kind: UseCase
name: good
domain: cockpit
model: {path: models/tiny.onnx, inputs: [{name: image}], outputs: [{name: gaze}]}
targets: [{soc: ti-tda4vm, budgets: {latency: 15ms}}]
`;

describe('aios validate', () => {
  it('prints file:line:col severity code message and a summary; exits 1 on errors', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    writeFileSync(join(ws.dir, 'good.usecase.yaml'), good);
    writeFileSync(join(ws.dir, 'bad.usecase.yaml'), good.replace('name: good', 'name: bad').replace('15ms', '15'));
    const run = await runCliCaptured(['validate'], ws.root);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], `${join('uc', 'bad.usecase.yaml')}:6:47 error AIOS205 targets[0].budgets.latency: '15' has no unit: write 15ms (time units: us, ms, s)`);
    assert.equal(lines[lines.length - 1], '2 files checked: 1 error, 0 warnings, 0 info');
  });

  it('--json prints only the diagnostics document, with 1-based ranges', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    writeFileSync(join(ws.dir, 'bad.usecase.yaml'), good.replace('soc: ti-tda4vm', 'soc: ti-tda4'));
    const run = await runCliCaptured(['validate', 'uc', '--json'], ws.root);
    assert.equal(run.code, 1);
    const doc = JSON.parse(run.stdout) as { diagnostics: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(doc), ['diagnostics']);
    assert.deepEqual(doc.diagnostics, [
      { file: join('uc', 'bad.usecase.yaml'), line: 6, column: 17, endLine: 6, endColumn: 24, severity: 'error', code: 'AIOS308', message: "unknown SoC target 'ti-tda4'; did you mean 'ti-tda4vm'?" },
    ]);
  });

  it('exits 0 on a clean folder, checks SoC files too, and 2 on a missing path', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    writeFileSync(join(ws.dir, 'good.usecase.yaml'), good);
    const clean = await runCliCaptured(['validate', join(ws.dir, 'good.usecase.yaml')], ws.root);
    assert.equal(clean.code, 0, clean.stdout);
    writeFileSync(join(ws.dir, 'board.soc.yaml'), 'apiVersion: aios/v1\nkind: SocTarget\nid: Board\n');
    const soc = await runCliCaptured(['validate', '--json'], ws.root);
    const doc = JSON.parse(soc.stdout) as { diagnostics: Array<{ file: string; code: string }> };
    assert.ok(doc.diagnostics.some((d) => d.file.endsWith('board.soc.yaml') && d.code === 'AIOS208'));
    const missing = await runCliCaptured(['validate', 'no/such/place'], ws.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
    assert.equal(missing.stdout, '');
  });

  it('says that a target is unknown because its .aios/targets file has errors', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    const board = stringify({ ...builtinTargetInputs(testHost)[5], id: 'our-board' }).replace(/value: \S+W\b/, 'value: 5');
    mkdirSync(join(ws.root, '.aios', 'targets'), { recursive: true });
    writeFileSync(join(ws.root, '.aios', 'targets', 'our-board.soc.yaml'), board);
    writeFileSync(join(ws.dir, 'a.usecase.yaml'), good.replace('soc: ti-tda4vm', 'soc: our-board'));
    const run = await runCliCaptured(['validate', '--json'], ws.root);
    const doc = JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; code: string; message: string }> };
    assert.deepEqual(doc.diagnostics.map((d) => `${d.file} ${d.code}`), [`${join('.aios', 'targets', 'our-board.soc.yaml')} AIOS205`, `${join('uc', 'a.usecase.yaml')} AIOS308`]);
    assert.match(doc.diagnostics[1]?.message ?? '', /'our-board' is defined in .*our-board\.soc\.yaml, but that file has errors/);
  });

  it('exits 2 with one line when given a file that is not YAML (e.g. the model)', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    const run = await runCliCaptured(['validate', join('uc', 'models', 'tiny.onnx')], ws.root);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /tiny\.onnx is not a YAML file/);
  });

  it('finds `aios validate samples` clean (exit 0)', async () => {
    const run = await runCliCaptured(['validate', 'samples'], join(__dirname, '..', '..', '..', '..'));
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^6 files checked: 0 errors, 0 warnings, 0 info$/m);
  });

  it('uses workspace targets from .aios/targets, and says so when a target is defined elsewhere', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    const board = stringify({ ...builtinTargetInputs(testHost)[5], id: 'our-board' });
    mkdirSync(join(ws.root, '.aios', 'targets'), { recursive: true });
    writeFileSync(join(ws.root, '.aios', 'targets', 'our-board.soc.yaml'), board);
    writeFileSync(join(ws.dir, 'stray.soc.yaml'), board.replace('id: our-board', 'id: stray-board'));
    writeFileSync(join(ws.dir, 'a.usecase.yaml'), good.replace('soc: ti-tda4vm', 'soc: our-board'));
    writeFileSync(join(ws.dir, 'b.usecase.yaml'), good.replace('name: good', 'name: b').replace('soc: ti-tda4vm', 'soc: stray-board'));
    const run = await runCliCaptured(['validate', '--json'], ws.root);
    const doc = JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; code: string; message: string }> };
    assert.deepEqual(doc.diagnostics.map((d) => `${d.file} ${d.code}`), [`${join('uc', 'b.usecase.yaml')} AIOS308`]);
    assert.match(doc.diagnostics[0]?.message ?? '', /defined in .*stray\.soc\.yaml, but only \.aios\/targets/);
  });
});
