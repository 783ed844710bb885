import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFile } from '../../../src/core/onnx/write';
import { writeCachedCalibration } from '../../../src/core/profile/calibrate/ensureCalibration';
import { profileResultSchema } from '../../../src/core/profile/result';
import { installedOrtVersion } from '../../../src/core/soc/hostCalibration';
import { hostInfoFromOs } from '../../../src/core/soc/hostInfo';
import { runCliCaptured } from '../cli/runCli';
import { badReshape, smallCnn } from './hostModels';

/** Figures of a plausible laptop core, so the test does not spend seconds on micro-benchmarks. */
function calibrationFor(cpuModel: string, logicalCores: number, ortVersion: string) {
  return {
    version: 3 as const,
    cpuModel,
    logicalCores,
    ortVersion,
    measuredAt: '2026-12-07T00:00:00.000Z',
    runs: 7,
    peakFp32OpsPerS: 5e10,
    efficiency: { conv: 1, matmul: 0.8, elementwise: 0.05, pool: 0.2 },
    overheadS: 2e-6,
    runS: 3e-5,
    dramBytesPerS: 5e9,
    cacheBytes: 2 ** 21,
    nchwcBlock: 16,
    cacheBytesPerS: 2e10,
    kernels: [],
    benchmarks: [],
  };
}

describe('aios profile --measure and --html', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'aios-profile-measure-'));
  const saved = process.env['AIOS_CACHE_DIR'];
  before(async () => {
    process.env['AIOS_CACHE_DIR'] = join(dir, 'cache');
    const host = hostInfoFromOs({});
    await writeCachedCalibration(join(dir, 'cache', 'host-calibration'), calibrationFor(host.cpuModel, host.logicalCores, installedOrtVersion()!));
    await writeModelFile(smallCnn(48), join(dir, 'cnn.onnx'));
    await writeModelFile(badReshape(), join(dir, 'bad.onnx'));
  });
  after(() => {
    if (saved === undefined) delete process.env['AIOS_CACHE_DIR'];
    else process.env['AIOS_CACHE_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the model in onnxruntime beside the calibrated host-cpu estimate and writes the profile page', async () => {
    const run = await runCliCaptured(['profile', 'cnn.onnx', '--measure', '--html', 'out/profile.html', '--json'], dir);
    assert.equal(run.code, 2, 'the output folder does not exist: a usage error');
    assert.match(run.stderr, /cannot write out\/profile\.html: the folder .* does not exist/);
    assert.equal(existsSync(join(dir, '.aios', 'runs')), false, 'refused before any run');
    const ok = await runCliCaptured(['profile', 'cnn.onnx', '--measure', '--html', 'profile.html', '--json'], dir);
    assert.equal(ok.code, 0, ok.stderr);
    const result = profileResultSchema.parse(JSON.parse(ok.stdout));
    const host = result.results[0]!;
    assert.equal(host.target, 'host-cpu');
    assert.equal(host.engines[0]?.peakOpsPerS, 5e10, 'the cached calibration is used');
    const m = result.measured;
    assert.ok(m && m.p50Ms > 0 && m.p50Ms <= m.p99Ms && m.runs >= 10, JSON.stringify(m));
    assert.ok(m.estimateRatio !== undefined && Math.abs(m.estimateRatio - host.latencyMs / m.p50Ms) < 1e-9);
    assert.ok(m.comparedLayers !== undefined && m.comparedLayers >= 3 && m.rankCorrelation !== undefined);
    assert.ok(m.layers?.some((l) => l.node === '/stage1/conv' && l.estimatedMs !== undefined));
    const page = readFileSync(join(dir, 'profile.html'), 'utf8');
    assert.match(page, /<script type="application\/json" id="aios-profile-data">/);
    assert.match(page, /Content-Security-Policy/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
  });

  it('keeps the estimate and says why when onnxruntime cannot run the model', async () => {
    const run = await runCliCaptured(['profile', 'bad.onnx', '--measure'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^host-cpu /m, 'the estimate is shown');
    assert.match(run.stdout, /^Not measured: onnxruntime-node cannot run bad\.onnx with inputs x=1×6: .*Reshape/m);
    assert.ok(existsSync(join(dir, '.aios', 'runs')));
  });
});
