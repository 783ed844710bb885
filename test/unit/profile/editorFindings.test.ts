import { strict as assert } from 'node:assert';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { withBudgets } from '../../../src/core/profile/budgets';
import { ecuInline, newestPerTarget, profileDiagnostics, targetInline, type ProfileRunRows } from '../../../src/core/profile/editorFindings';
import { estimateTarget } from '../../../src/core/profile/estimate';
import type { EcuLoad, TargetProfile } from '../../../src/core/profile/result';
import { analysed, convModel, testSoc } from './fixtures';

/** Two targets on one SoC id and one on another, each with a latency budget on its own line. */
const useCase = [
  'name: x', // 0
  'targets:', // 1
  '  - soc: test-soc', // 2
  '    budgets:', // 3
  '      latency: 1ms', // 4
  '  - soc: other-soc', // 5
  '    budgets:', // 6
  '      latency: 1ms', // 7
  '  - soc: test-soc', // 8
  '    budgets:', // 9
  '      latency: 1000ms', // 10
  '',
].join('\n');
const targets = [{ soc: 'test-soc' }, { soc: 'other-soc' }, { soc: 'test-soc' }];

describe('profile results placed in the use case (editor)', () => {
  let slow: TargetProfile;
  let fast: TargetProfile;
  before(async () => {
    const soc = testSoc();
    const e = estimateTarget(await analysed(convModel()), soc, { precision: 'int8' });
    slow = withBudgets(e, soc, { latencyMs: e.profile.latencyMs / 2 });
    fast = withBudgets(e, soc, { latencyMs: e.profile.latencyMs * 2 });
  });

  it('keeps the newest result per target: a later one-target run replaces only that target', () => {
    const runs: ProfileRunRows[] = [
      { runId: 'r3', results: [{ ...fast, target: 'other-soc' }] },
      { runId: 'r2', results: [slow, { ...slow, target: 'other-soc' }, fast] },
      { runId: 'r1', results: [fast] },
    ];
    const newest = newestPerTarget(targets, runs);
    assert.deepEqual(newest.map((n) => [n.index, n.runId]), [[0, 'r2'], [1, 'r3'], [2, 'r2']]);
    assert.equal(newest[0]!.result.fits.latency, false);
    assert.equal(newest[1]!.result.fits.latency, true);
    assert.equal(newest[2]!.result.fits.latency, true, 'the second test-soc row of r2 goes to the second test-soc target');
  });

  it('skips the rows of other use cases', () => {
    const runs: ProfileRunRows[] = [{ runId: 'r1', results: [{ ...slow, useCase: '/w/other.usecase.yaml' }, { ...fast, useCase: '/w/me.usecase.yaml' }] }];
    assert.deepEqual(newestPerTarget([{ soc: 'test-soc' }], runs, '/w/me.usecase.yaml').map((n) => n.result.fits.latency), [true]);
  });

  it('puts a broken latency budget at its own line, and a later passing run clears it', () => {
    const parsed = parseYaml(useCase);
    const failing = profileDiagnostics(parsed, targets, newestPerTarget(targets, [{ runId: 'r1', results: [slow, { ...fast, target: 'other-soc' }, fast] }]));
    assert.deepEqual(failing.map((d) => [d.code, d.range.start.line]), [['AIOS335', 4]]);
    assert.match(failing[0]!.message, /^soc: [\d.]+ ms estimated > [\d.]+ ms; top: /);
    // Only the third target (line 10) broken: the diagnostic goes there, not to the first test-soc target.
    const third = profileDiagnostics(parsed, targets, [{ index: 2, runId: 'r2', result: slow }]);
    assert.deepEqual(third.map((d) => d.range.start.line), [10]);
    const later = newestPerTarget(targets, [{ runId: 'r2', results: [fast] }, { runId: 'r1', results: [slow] }]);
    assert.deepEqual(profileDiagnostics(parsed, targets, later), []);
  });

  it('says each figure against its budget on one line', () => {
    assert.match(targetInline(slow), /^int8 · [\d.]+ ms ✗ > [\d.]+ ms · [\d.]+ (KiB|MiB|B) · [\d.]+ W$/);
    assert.match(targetInline(fast), /^int8 · [\d.]+ ms ✓ ≤ [\d.]+ ms · /);
    const withAll = { ...fast, budgets: { latencyMs: 10, memoryBytes: 1, powerW: 100, fps: 30 }, fits: { latency: true, memory: false, power: true, fps: true } };
    assert.match(targetInline(withAll), /· [\d.]+ (KiB|MiB|B) ✗ > 1 B · [\d.]+ W ✓ ≤ 100 W · 30 fps ✓$/);
  });

  it('gives the ECU verdict, engine loads and memory', () => {
    const load: EcuLoad = {
      ecu: 'cockpit',
      target: 'test-soc',
      useCases: [
        { file: '/w/a.usecase.yaml', name: 'a', fps: 30, latencyMs: 10, peakMemoryBytes: 1 },
        { file: '/w/b.usecase.yaml', name: 'b', fps: 30, latencyMs: 30, peakMemoryBytes: 1 },
      ],
      engines: [{ engine: 'npu', kind: 'npu', utilisation: 1.2 }, { engine: 'cpu', kind: 'cpu', utilisation: 0.04 }],
      memoryBytes: 2 ** 20,
      memoryCapacityBytes: 2 ** 30,
      verdict: 'overloaded',
      overloadPercent: 20,
    };
    assert.equal(ecuInline(load), 'ECU cockpit on test-soc: overloaded by 20% · npu 120%, cpu 4% · memory 1.00 MiB of 1.00 GiB · 2 use cases');
    assert.match(ecuInline({ ...load, verdict: 'fits', overloadPercent: 0 }), /^ECU cockpit on test-soc: fits · /);
  });
});
