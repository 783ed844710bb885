import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../cli/runCli';
import { editUseCase, releaseWorkspace, sampleFile } from './harness';

describe('aios release, verify, keys (CLI)', function () {
  this.timeout(120_000);
  const saved = process.env['AIOS_CONFIG_DIR'];
  let config = '';

  beforeEach(() => {
    config = mkdtempSync(join(tmpdir(), 'aios-config-'));
    process.env['AIOS_CONFIG_DIR'] = config;
  });
  after(() => {
    if (saved === undefined) delete process.env['AIOS_CONFIG_DIR'];
    else process.env['AIOS_CONFIG_DIR'] = saved;
  });

  it('keys init writes a 0600 key and its public key into the config folder, and will not overwrite it', async () => {
    const run = await runCliCaptured(['keys', 'init', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { publicKey: string; keyId: string; privateKeyFile: string; publicKeyFile: string };
    assert.equal(out.privateKeyFile, join(config, 'keys', 'release.key'));
    assert.equal(statSync(out.privateKeyFile).mode & 0o777, 0o600);
    assert.match(out.keyId, /^[0-9a-f]{64}$/);
    const again = await runCliCaptured(['keys', 'init']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
  });

  it('releases with --force (default key created on first use, said so), verifies, and exits 1 with problems for a wrong key', async () => {
    const ws = await releaseWorkspace();
    // fp16 reaches about 66 dB: a gate above it fails, so --force has a gate to force.
    editUseCase(ws.file, { minSqnrDb: '150' });
    const run = await runCliCaptured(['release', sampleFile, '--force', '--json'], ws.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /created your signing key .*release\.key/);
    const summary = JSON.parse(run.stdout) as { reference: string; digest: string; gates: Array<{ name: string; forced?: boolean }>; bytesUploaded: number; runId: string };
    assert.equal(summary.reference, 'local:aios/cabin-occupancy:1.1.0');
    assert.ok(summary.bytesUploaded > 60_000);
    assert.ok(summary.gates.some((g) => g.forced));
    const verified = await runCliCaptured(['verify', 'local:aios/cabin-occupancy:1.1.0', '--json'], ws.dir);
    assert.equal(verified.code, 0, verified.stdout);
    assert.equal((JSON.parse(verified.stdout) as { verified: boolean }).verified, true);
    const wrong = await runCliCaptured(['verify', 'local:aios/cabin-occupancy:1.1.0', '--trust', ws.publicKeyFile, '--json'], ws.dir);
    assert.equal(wrong.code, 1);
    assert.match((JSON.parse(wrong.stdout) as { problems: string[] }).problems.join(' '), /not among the trusted keys/);
  });

  it('exits 1 when a gate fails, and 2 for a key file with loose permissions or a bad reference', async () => {
    const ws = await releaseWorkspace();
    editUseCase(ws.file, { minSqnrDb: '150' });
    const gated = await runCliCaptured(['release', sampleFile], ws.dir);
    assert.equal(gated.code, 1);
    assert.match(gated.stdout, /Not released: a gate failed/);
    chmodSync(join(ws.dir, 'keys', 'test.key'), 0o644);
    const loose = await runCliCaptured(['release', sampleFile, '--force', '--key', 'keys/test.key'], ws.dir);
    assert.equal(loose.code, 2);
    assert.match(loose.stderr, /can be read by other users/);
    const bad = await runCliCaptured(['verify', 'aios/cabin-occupancy:1.1.0'], ws.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a release reference/);
  });
});
