import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';
import { modelNamed } from './hostileModels';

describe('hardening: an output file on a full device', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-out-'));
    await writeModelFile(modelNamed('plain'), join(dir, 'm.onnx'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('aios graph --html /dev/full says the device is full, in one line (was: internal error ENOSPC)', async () => {
    const run = await runCliCaptured(['graph', 'm.onnx', '--html', '/dev/full'], dir);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'aios: --html /dev/full: no space left on the device\n');
  });
});
