import { strict as assert } from 'node:assert';
import { parseYaml } from '../../../src/core/diagnostics/yamlDocument';
import { budgetDiagnostics, withBudgets } from '../../../src/core/profile/budgets';
import { ecuLoad } from '../../../src/core/profile/ecu';
import { estimateTarget } from '../../../src/core/profile/estimate';
import { splitCurve } from '../../../src/core/profile/split';
import { analysed, convModel, testSoc } from './fixtures';

describe('profile split, ECU load and budgets', () => {
  it('gives every cut of the split curve with its transfer and picks the fastest', async () => {
    const a = await analysed(convModel(['Relu', 'Sigmoid']));
    const soc = testSoc({ fusions: [] });
    const vehicle = estimateTarget(a, soc, { precision: 'int8' });
    const cloud = estimateTarget(a, testSoc({ fusions: [], npuInt8: '100TOPS' }), { precision: 'int8' });
    const s = splitCurve(a, vehicle, cloud, 'cloud', { bitsPerS: 8e6, rttS: 0.05 }, 'int8');
    assert.equal(s.cuts.length, 5);
    const all = s.cuts[4]!;
    assert.equal(all.transferBytes, 0);
    assert.ok(Math.abs(all.totalMs - vehicle.profile.latencyMs) < 1e-9);
    // All in the cloud: the input (16x32x32, int8) goes up, plus the round trip.
    const none = s.cuts[0]!;
    assert.equal(none.transferBytes, 16 * 32 * 32);
    assert.ok(Math.abs(none.transferMs - (16 * 32 * 32 * 8 / 8e6 + 0.05) * 1e3) < 1e-9);
    // After the Conv: its 32x32x32 output crosses.
    assert.equal(s.cuts[1]!.transferBytes, 32 * 32 * 32);
    assert.equal(s.cuts[1]!.after, '/conv');
    assert.equal(s.best, s.cuts.reduce((b, c, i) => (c.totalMs < s.cuts[b]!.totalMs ? i : b), 0));
    assert.equal(s.best, 4, 'a 50 ms round trip never pays off for a model this small');
  });

  it('sums engine load at each use case fps and reports overload', async () => {
    const soc = testSoc();
    const p = withBudgets(estimateTarget(await analysed(convModel()), soc, { precision: 'int8' }), soc, undefined);
    const busy = p.engines[0]!.busyMs;
    const fitsFps = 0.4 / (busy / 1e3);
    const fits = ecuLoad('ecu', soc, [
      { file: 'a', name: 'a', fps: fitsFps, assumedFps: false, profile: p },
      { file: 'b', name: 'b', fps: fitsFps, assumedFps: false, profile: p },
    ]);
    assert.equal(fits.verdict, 'fits');
    assert.ok(Math.abs(fits.engines[0]!.utilisation - 0.8) < 1e-9);
    assert.equal(fits.memoryBytes, 2 * p.peakMemoryBytes);
    const over = ecuLoad('ecu', soc, [
      { file: 'a', name: 'a', fps: fitsFps * 2, assumedFps: false, profile: p },
      { file: 'b', name: 'b', fps: fitsFps, assumedFps: true, profile: p },
    ]);
    assert.equal(over.verdict, 'overloaded');
    assert.ok(Math.abs(over.overloadPercent - 20) < 1e-6);
  });

  it('turns exceeded budgets into diagnostics at the budget line, naming the top layers', async () => {
    const soc = testSoc();
    const e = estimateTarget(await analysed(convModel(['Sigmoid'])), soc, { precision: 'int8' });
    const tight = e.profile.latencyMs / 2;
    const row = withBudgets(e, soc, { latencyMs: tight, fps: 1e6 });
    assert.equal(row.fits.latency, false);
    assert.equal(row.fits.fps, false);
    assert.equal(row.fits.power, null);
    const text = ['targets:', '  - soc: test-soc', '    budgets:', `      latency: ${tight}ms`, '      fps: 1000000', ''].join('\n');
    const diagnostics = budgetDiagnostics(parseYaml(text), [{ soc: 'test-soc' }], [row]);
    const latency = diagnostics.find((d) => d.code === 'AIOS335');
    assert.ok(latency, JSON.stringify(diagnostics));
    assert.equal(latency.range.start.line, 3);
    assert.match(latency.message, /^soc: [\d.]+ ms estimated > [\d.]+ ms; top: \/(conv|t0) \d+%, \/(conv|t0) \d+%$/);
    const fps = diagnostics.find((d) => d.code === 'AIOS338');
    assert.equal(fps?.range.start.line, 4);
    const fitting = withBudgets(e, soc, { latencyMs: e.profile.latencyMs * 2 });
    assert.deepEqual(budgetDiagnostics(parseYaml(text), [{ soc: 'test-soc' }], [fitting]), []);
  });
});
