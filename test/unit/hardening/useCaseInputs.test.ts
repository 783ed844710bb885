import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QuantizeInputError, resolveSettings } from '../../../src/core/quantize/request';
import { releaseRegistryOf } from '../../../src/core/release/release';

const cli = resolve('dist/cli.js');

describe('hardening: a use case that is a device or a named pipe, under every command that takes one', function () {
  this.timeout(120_000);
  let dir: string;
  const inputs = { 'zero.usecase.yaml': 'a character device', 'random.usecase.yaml': 'a character device', 'fifo.usecase.yaml': 'a named pipe (FIFO)' } as const;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-usecase-'));
    symlinkSync('/dev/zero', join(dir, 'zero.usecase.yaml'));
    symlinkSync('/dev/urandom', join(dir, 'random.usecase.yaml'));
    execFileSync('mkfifo', [join(dir, 'fifo.usecase.yaml')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const command of ['run', 'validate', 'quantize', 'profile', 'release']) {
    it(`aios ${command}: one line, exit 2, no run started`, () => {
      for (const [file, kind] of Object.entries(inputs)) {
        // A child process with a time limit: a reader blocked on the FIFO or filling memory from /dev/zero fails here instead of hanging mocha.
        const r = spawnSync(process.execPath, [cli, command, file], { cwd: dir, encoding: 'utf8', timeout: 15_000, env: { ...process.env, AIOS_RUNS_DIR: join(dir, 'runs') } });
        assert.equal(r.signal, null, `${command} ${file} was killed after 15 s`);
        assert.equal(r.status, 2, `${command} ${file}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^aios: ${file.replace('.', '\\.')}: is ${kind.replace(/[()]/g, '\\$&')}, not a regular file.*\\n$`));
        assert.equal(r.stdout, '');
      }
    });
  }

  it('the core readers behind the editor tasks refuse them too (quantize settings, release registry)', async () => {
    for (const file of Object.keys(inputs)) {
      assert.throws(() => resolveSettings({ input: join(dir, file) }, dir), (e: unknown) => e instanceof QuantizeInputError && /not a regular file/.test(e.message));
      assert.equal(await releaseRegistryOf(join(dir, file)), undefined);
    }
  });
});
