import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { builtinTargetInputs } from '../../../src/core/soc/catalog';
import { hostInfoFromOs } from '../../../src/core/soc/hostInfo';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';
import { hostileText, modelNamed, prototypeNames } from './hostileModels';

const cli = resolve('dist/cli.js');
/** Raw terminal controls: anything but newline and tab. */
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('hardening: the CLI ends every hostile input cleanly', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-cli-'));
    await writeModelFile(modelNamed(hostileText), join(dir, 'hostile.onnx'));
    await writeModelFile(modelNamed('plain'), join(dir, 'plain.onnx'));
    for (const name of prototypeNames) {
      await writeModelFile(modelNamed(name), join(dir, `op-${name}.onnx`));
      await writeModelFile(modelNamed('n', { inputName: name }), join(dir, `in-${name}.onnx`));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints names, op types and producers from a model escaped: no terminal control, no forged line', async () => {
    for (const argv of [['inspect', 'hostile.onnx', '--shapes'], ['diff', 'plain.onnx', 'hostile.onnx'], ['inspect', 'hostile.onnx', '--json']]) {
      const run = await runCliCaptured(argv, dir);
      assert.ok(run.code === 0 || run.code === 1, run.stderr);
      assert.doesNotMatch(run.stdout + run.stderr, rawControl, argv.join(' '));
      assert.ok(!run.stdout.split('\n').some((l) => l.startsWith('forged row')), `${argv.join(' ')}: a name forged a line`);
    }
    const human = await runCliCaptured(['inspect', 'hostile.onnx'], dir);
    assert.match(human.stdout, /\\x1b\]0;PWNED\\x07/);
    const json = JSON.parse((await runCliCaptured(['inspect', 'hostile.onnx', '--json'], dir)).stdout) as { producer: { name: string } };
    assert.equal(json.producer.name, hostileText, '--json keeps the exact value (escaped only as JSON)');
  });

  it('takes op types and input names that are Object.prototype keys as plain names', async () => {
    for (const name of prototypeNames) {
      const op = await runCliCaptured(['inspect', `op-${name}.onnx`, '--json'], dir);
      assert.equal(op.code, 0, op.stderr);
      assert.equal((JSON.parse(op.stdout) as { opHistogram: Record<string, number> }).opHistogram[name], 1);
      const input = await runCliCaptured(['inspect', `in-${name}.onnx`, '--shapes', '--input', `${name}=1,4`], dir);
      assert.equal(input.code, 0, input.stderr);
      assert.doesNotMatch(input.stderr, /internal error/);
    }
  });

  it('refuses a FIFO as model or use case at once (exit 2, one line)', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo.onnx'), join(dir, 'fifo.usecase.yaml')]);
    const run = await runCliCaptured(['inspect', 'fifo.onnx'], dir);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'aios: fifo.onnx: is a named pipe (FIFO), not a regular file\n');
    const validate = await runCliCaptured(['validate', 'fifo.usecase.yaml'], dir);
    assert.equal(validate.code, 2);
    assert.equal(validate.stderr, 'aios: fifo.usecase.yaml: is a named pipe (FIFO), not a regular file or folder\n');
  });

  it('says "cannot write the output" when stdout is full, and names a deleted current folder; no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const argv of [['inspect', join(dir, 'plain.onnx')], ['inspect', join(dir, 'plain.onnx'), '--json'], ['targets']]) {
        const r = spawnSync(process.execPath, [cli, ...argv], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^aios: cannot write the output to stdout: no space left on the device \(ENOSPC\)\n$/);
      }
    } finally {
      closeSync(full);
    }
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    const r = spawnSync('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${cli}" inspect x.onnx`], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, 'aios: the current folder no longer exists (was it deleted?); cd to an existing folder and run the command again\n');
  });

  it('lists no target from .aios/targets linked outside the workspace, and copes with .aios being a file', async () => {
    const outside = join(dir, 'outside-targets');
    mkdirSync(outside);
    writeFileSync(join(outside, 'evil.soc.yaml'), stringify({ ...builtinTargetInputs(hostInfoFromOs())[5], id: 'evil-soc' }));
    const ws = join(dir, 'ws-link');
    mkdirSync(join(ws, '.aios'), { recursive: true });
    symlinkSync(outside, join(ws, '.aios', 'targets'));
    const run = await runCliCaptured(['targets', '--json'], ws);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stdout.includes('evil-soc'));
    assert.match(run.stderr, /outside the workspace/);
    const fileMarker = join(dir, 'ws-file');
    mkdirSync(fileMarker);
    writeFileSync(join(fileMarker, '.aios'), 'x');
    const t = await runCliCaptured(['targets'], fileMarker);
    assert.equal(t.code, 0, t.stderr);
  });

  it('keeps model.path inside the use case\'s workspace even when run from / or under a parent with .vscode', async () => {
    const parent = join(dir, 'parent');
    mkdirSync(join(parent, '.vscode'), { recursive: true });
    mkdirSync(join(parent, 'proj'), { recursive: true });
    writeFileSync(join(parent, 'secret.onnx'), 'not for you');
    const useCase = join(parent, 'proj', 'x.usecase.yaml');
    writeFileSync(useCase, 'apiVersion: aios/v1\nkind: UseCase\nname: x\ndomain: cockpit\nmodel:\n  path: ../secret.onnx\n');
    for (const cwd of ['/', parent]) {
      const run = await runCliCaptured(['validate', useCase, '--json'], cwd);
      const diagnostics = (JSON.parse(run.stdout) as { diagnostics: Array<{ message: string }> }).diagnostics;
      assert.ok(diagnostics.some((d) => /leaves the workspace/.test(d.message)), `from ${cwd}: ${run.stdout}`);
    }
  });
});
