import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHostCalibration, writeCachedCalibration } from '../../../src/core/profile/calibrate/ensureCalibration';
import { cacheBytesFromOs } from '../../../src/core/profile/calibrate/cacheSize';
import { builtinCatalog, type HostInfo } from '../../../src/core/soc/catalog';
import { calibrationCacheDir, calibrationFile, installedOrtVersion, readCachedCalibration, type HostCalibration } from '../../../src/core/soc/hostCalibration';
import { hostInfoFromOs } from '../../../src/core/soc/hostInfo';

const host: HostInfo = { cpuModel: 'Test CPU 9000', logicalCores: 2, cpuMHz: 3000, totalMemoryBytes: 8 * 1024 ** 3 };
const noOrt = () => Promise.reject(new Error('onnxruntime must not be loaded: the calibration is cached'));

describe('host-cpu calibration by micro-benchmarks', function () {
  // One real calibration (a few runs of the ~40 MB suite model): ~15 s on a quiet machine, several times that on a loaded one.
  this.timeout(400_000);
  const root = mkdtempSync(join(tmpdir(), 'aios-calibration-'));
  const env = { AIOS_CACHE_DIR: root };
  after(() => rmSync(root, { recursive: true, force: true }));
  let measured: HostCalibration;

  it('measures kernel speeds, fixed costs and bandwidths in onnxruntime and caches them per machine', async () => {
    const stages: string[] = [];
    const calibrated = await ensureHostCalibration(host, { env, ortVersion: '1.30.0', budgetMs: 300, minRuns: 3, progress: (s) => stages.push(s) });
    measured = calibrated.calibration;
    assert.ok(stages.includes('micro-benchmarks') && stages.at(-1) === 'done', stages.join(', '));
    assert.equal(measured.version, 3);
    assert.equal(measured.cpuModel, 'Test CPU 9000');
    assert.ok(measured.runs >= 3);
    assert.ok(measured.peakFp32OpsPerS > 1e8, `peak ${measured.peakFp32OpsPerS}`);
    for (const cls of ['conv', 'depthwise', 'matmul'] as const) {
      const e = measured.efficiency[cls];
      assert.ok(e !== undefined && e > 0 && e <= 1, `${cls}: ${e}`);
    }
    // Sane figures for any current CPU: dense kernels between 0.1 GFLOP/s and 10 TFLOP/s, memory-bound ones between 0.05 GB/s and 1 TB/s.
    const kinds = new Set(measured.kernels.map((k) => k.kind));
    for (const kind of ['conv', 'conv1x1', 'depthwise', 'convtranspose', 'matmul', 'rnn', 'conv-int8', 'matmul-int8', 'binary', 'resize', 'copy', 'quantize'] as const) {
      assert.ok(kinds.has(kind), `measured ${kind}: ${[...kinds].join(', ')}`);
    }
    for (const b of measured.benchmarks) {
      const rate = b.work / (b.ms / 1000);
      assert.ok(b.unit === 'flops' ? rate > 1e8 && rate < 1e13 : rate > 5e7 && rate < 1e12, `${b.name}: ${rate.toExponential(2)} ${b.unit}/s`);
    }
    // The best conv runs well above the smallest one (16 channels on 28x28): speed depends on shape.
    const convRates = measured.kernels.filter((k) => k.kind === 'conv').map((k) => k.rate);
    assert.ok(Math.max(...convRates) > 1.2 * Math.min(...convRates), convRates.join(', '));
    assert.ok(measured.dramBytesPerS > 0 && measured.cacheBytesPerS >= measured.dramBytesPerS);
    assert.ok(measured.overheadS >= 0 && measured.overheadS < 1e-3, `overhead ${measured.overheadS}`);
    assert.ok(measured.runS > 0 && measured.runS < 1e-2, `fixed time per run ${measured.runS}`);
    assert.equal(measured.cacheBytes, cacheBytesFromOs(2).bytes);
    assert.deepEqual(readdirSync(join(root, 'host-calibration')), [calibrationFile(calibrationCacheDir(env), measured).split('/').pop()], 'one file, no temp file left');
  });

  it('reuses the cached figures for the same CPU, core count and onnxruntime, and measures again for another', async () => {
    const again = await ensureHostCalibration(host, { env, ortVersion: '1.30.0', loadOrt: noOrt });
    assert.deepEqual(again.calibration, measured);
    await assert.rejects(ensureHostCalibration({ ...host, logicalCores: 4 }, { env, ortVersion: '1.30.0', loadOrt: noOrt }), /must not be loaded/);
    await assert.rejects(ensureHostCalibration(host, { env, ortVersion: '1.31.0', loadOrt: noOrt }), /must not be loaded/);
    await assert.rejects(ensureHostCalibration(host, { env, ortVersion: '1.30.0', refresh: true, loadOrt: noOrt }), /must not be loaded/);
  });

  it('ignores a cache file that is damaged or of another machine', () => {
    const dir = mkdtempSync(join(root, 'damaged-'));
    const key = { cpuModel: 'Test CPU 9000', logicalCores: 2, ortVersion: '1.30.0' };
    writeFileSync(calibrationFile(dir, key), '{"version": 1, "cpuModel": ');
    assert.equal(readCachedCalibration(dir, key), undefined);
    writeFileSync(calibrationFile(dir, key), JSON.stringify({ ...measured, version: 2 }));
    assert.equal(readCachedCalibration(dir, key), undefined, 'a calibration of the older schema is measured again');
    writeFileSync(calibrationFile(dir, key), JSON.stringify({ ...measured, cpuModel: 'Other CPU' }));
    assert.equal(readCachedCalibration(dir, key), undefined);
    writeFileSync(calibrationFile(dir, key), JSON.stringify(measured));
    assert.deepEqual(readCachedCalibration(dir, key), measured);
  });

  it('makes host-cpu a measured target: peak, efficiencies, overhead, cache and DRAM bandwidth', () => {
    // builtinCatalog parses every built-in target with the SoC schema and throws on an invalid one.
    const target = builtinCatalog({ ...host, calibration: measured }).get('host-cpu');
    assert.ok(target);
    const cpu = target.engines[0]!;
    assert.equal(cpu.precisions.fp32?.peak.source.kind, 'measurement');
    assert.ok(Math.abs(cpu.precisions.fp32!.peak.value.value / measured.peakFp32OpsPerS - 1) < 1e-3);
    assert.equal(cpu.efficiency.matmul?.value, measured.efficiency.matmul);
    assert.equal(cpu.efficiency.conv?.source.kind, 'measurement');
    assert.ok(cpu.overhead && Math.abs(cpu.overhead.value.value - Math.max(1e-9, measured.overheadS)) <= 1e-3 * Math.max(1e-9, measured.overheadS) + 1e-12);
    assert.equal(target.invocationOverhead?.source.kind, 'measurement');
    assert.ok(Math.abs(target.invocationOverhead.value.value - Math.max(1e-9, measured.runS)) <= 1e-3 * Math.max(1e-9, measured.runS) + 1e-12);
    const cache = target.memories.find((m) => m.kind === 'sram');
    const dram = target.memories.find((m) => m.kind === 'dram');
    assert.equal(cache?.size.value.value, Math.round(measured.cacheBytes / 1024) * 1024);
    assert.ok(Math.abs(dram!.bandwidth.value.value / 8 / measured.dramBytesPerS - 1) < 1e-3, `${dram!.bandwidth.value.value} bit/s vs ${measured.dramBytesPerS} B/s`);
    assert.equal(target.power.static.source.kind, 'estimate', 'what is not measured stays an estimate');
    const uncalibrated = builtinCatalog(host).get('host-cpu');
    assert.equal(uncalibrated?.engines[0]?.precisions.fp32?.peak.source.kind, 'estimate');
  });

  it('is picked up from the cache wherever the host is read (aios targets, validate, the editor)', async () => {
    const os = hostInfoFromOs({});
    const dir = mkdtempSync(join(root, 'os-'));
    const ortVersion = installedOrtVersion();
    assert.ok(ortVersion, 'onnxruntime-node is installed');
    await writeCachedCalibration(join(dir, 'host-calibration'), { ...measured, cpuModel: os.cpuModel, logicalCores: os.logicalCores, ortVersion });
    const read = hostInfoFromOs({ AIOS_CACHE_DIR: dir });
    assert.equal(read.calibration?.peakFp32OpsPerS, measured.peakFp32OpsPerS);
    assert.equal(hostInfoFromOs({ AIOS_CACHE_DIR: join(dir, 'empty') }).calibration, undefined);
  });
});
