import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EvidenceKind } from '../../../src/core/release/release';
import { openRunStore } from '../../../src/core/tasks/runStore';
import { runCliCaptured } from '../cli/runCli';
import { passingRuns, release, releaseWorkspace } from './harness';

describe('release gates: the matching profile and quantize runs, run now when missing', function () {
  this.timeout(240_000);

  it('reuses runs of the exact model without running anything', async () => {
    const ws = await releaseWorkspace();
    const asked: EvidenceKind[] = [];
    const report = await release(ws, {
      runNow: async (kind) => {
        asked.push(kind);
        throw new Error('not expected');
      },
    });
    assert.deepEqual(asked, []);
    assert.equal(report.released, true);
    assert.match(report.gates.find((g) => g.name === 'budgets')!.detail, /profile run p1/);
    assert.match(report.gates.find((g) => g.name === 'sqnr')!.detail, /quantize run q1/);
  });

  it('runs the missing quantize then profile, and their records decide the gates', async () => {
    const ws = await releaseWorkspace();
    const [quantize, profile] = await passingRuns(ws.file, { sqnr: 20 });
    const asked: EvidenceKind[] = [];
    const report = await release(ws, {
      runs: [],
      runNow: async (kind) => {
        asked.push(kind);
        return { ...(kind === 'quantize' ? quantize! : profile!), id: `now-${kind}` };
      },
    });
    assert.deepEqual(asked, ['quantize', 'profile']);
    assert.equal(report.released, false, 'the SQNR of the run made now is under the minimum');
    assert.match(report.gates.find((g) => g.name === 'sqnr')!.detail, /20\.0 dB < 40 dB \(quantize run now-quantize\)/);
    assert.match(report.gates.find((g) => g.name === 'budgets')!.detail, /fit \(profile run now-profile\)/);
  });

  it('fails the gate with the reason when the run made now fails, or read another model', async () => {
    const ws = await releaseWorkspace();
    const [quantize, profile] = await passingRuns(ws.file);
    const report = await release(ws, {
      runs: [],
      runNow: async (kind) =>
        kind === 'quantize' ? { ...quantize!, id: 'qx', status: 'failed', error: 'precision fp16 is not available yet' } : { ...profile!, id: 'px', inputs: [{ path: 'other.onnx', sha256: '0'.repeat(64) }] },
    });
    assert.equal(report.released, false);
    assert.match(report.gates.find((g) => g.name === 'sqnr')!.detail, /the quantize run qx started for this release failed: precision fp16 is not available yet/);
    assert.match(report.gates.find((g) => g.name === 'budgets')!.detail, /the profile run px started for this release did not read this model/);
  });

  it('aios release with no runs recorded quantizes and profiles the model itself (own run records), then releases', async () => {
    const saved = process.env['AIOS_CONFIG_DIR'];
    process.env['AIOS_CONFIG_DIR'] = mkdtempSync(join(tmpdir(), 'aios-config-'));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'aios-runnow-'));
      cpSync(resolve('samples', 'chassis'), dir, { recursive: true });
      const run = await runCliCaptured(['release', 'road-surface.usecase.yaml', '--json'], dir);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const summary = JSON.parse(run.stdout) as { gates: Array<{ name: string; passed: boolean; detail: string }>; runId: string };
      const records = await openRunStore(join(dir, '.aios', 'runs')).list();
      const byKind = (kind: string) => records.filter((r) => r.kind === kind);
      assert.equal(byKind('quantize').length, 1);
      assert.equal(byKind('profile').length, 1);
      assert.equal(byKind('quantize')[0]!.status, 'succeeded');
      assert.match(summary.gates.find((g) => g.name === 'sqnr')!.detail, new RegExp(`dB >= 30 dB \\(quantize run ${byKind('quantize')[0]!.id}\\)`));
      assert.match(summary.gates.find((g) => g.name === 'budgets')!.detail, new RegExp(`profile run ${byKind('profile')[0]!.id}`));
      assert.ok(existsSync(join(dir, 'models', 'road-surface-cnn.int8.onnx')), 'the quantized model is written beside the model');
      // The release's log says what it ran, and a second release reuses the records.
      const again = await runCliCaptured(['release', 'road-surface.usecase.yaml', '--json'], dir);
      assert.equal(again.code, 0, again.stderr);
      const after = await openRunStore(join(dir, '.aios', 'runs')).list();
      assert.equal(after.filter((r) => r.kind === 'quantize').length, 1, 'nothing run again');
    } finally {
      if (saved === undefined) delete process.env['AIOS_CONFIG_DIR'];
      else process.env['AIOS_CONFIG_DIR'] = saved;
    }
  });
});
