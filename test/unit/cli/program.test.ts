import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { cliVersion } from '../../../src/cli/program';
import { runCliCaptured } from './runCli';

describe('aios CLI conventions', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const run = await runCliCaptured(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), pkg.version);
    assert.equal(cliVersion, pkg.version);
  });

  it('lists every SPEC command in --help', async () => {
    const run = await runCliCaptured(['--help']);
    assert.equal(run.code, 0);
    for (const name of ['validate', 'inspect', 'graph', 'diff', 'quantize', 'quantdiff', 'targets', 'profile', 'release', 'pull', 'verify', 'run']) {
      assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'), `--help lists ${name}`);
    }
  });

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const run = await runCliCaptured(['frobnicate']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trimEnd().split('\n').length, 1);
    assert.match(run.stderr, /^aios: unknown command 'frobnicate'/);
  });

  it('exits 2 with one line when a required argument is missing', async () => {
    const run = await runCliCaptured(['diff', 'only-one.onnx']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required argument 'b'/);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1);
  });

  it('gives subcommand help with exit 0', async () => {
    const run = await runCliCaptured(['run', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: aios run/);
  });
});
