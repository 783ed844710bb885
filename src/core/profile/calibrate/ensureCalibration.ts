import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostInfo } from '../../soc/catalog';
import { calibrationCacheDir, calibrationFile, installedOrtVersion, readCachedCalibration, type HostCalibration } from '../../soc/hostCalibration';
import { cacheBytesFromOs, nchwcBlockFromOs } from './cacheSize';
import { calibrateHost, type CalibrateOptions } from './calibrateHost';

export interface EnsureCalibrationOptions extends Pick<CalibrateOptions, 'signal' | 'progress' | 'budgetMs' | 'minRuns' | 'loadOrt' | 'now' | 'date'> {
  readonly env?: NodeJS.ProcessEnv;
  /** onnxruntime-node's version (default: the installed one). */
  readonly ortVersion?: string;
  /** Measure again even when a calibration is cached. */
  readonly refresh?: boolean;
}

/** Writes `calibration` where readCachedCalibration finds it (atomically: a temp file renamed). */
export async function writeCachedCalibration(dir: string, calibration: HostCalibration): Promise<string> {
  const file = calibrationFile(dir, calibration);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(calibration, null, 2)}\n`);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return file;
}

/**
 * `host` with this machine's calibration: the cached one, or a new measurement (about 10 s of
 * micro-benchmarks, longer on a loaded machine) that is then cached. Called by `aios profile` before it estimates host-cpu.
 */
export async function ensureHostCalibration(host: HostInfo, options: EnsureCalibrationOptions = {}): Promise<HostInfo & { calibration: HostCalibration }> {
  const ortVersion = options.ortVersion ?? installedOrtVersion();
  if (ortVersion === undefined) throw new Error('onnxruntime-node is not installed, so host-cpu cannot be calibrated: reinstall AIOS Workbench (npm ci)');
  const dir = calibrationCacheDir(options.env);
  const key = { cpuModel: host.cpuModel, logicalCores: host.logicalCores, ortVersion };
  const cached = options.refresh ? undefined : readCachedCalibration(dir, key);
  if (cached) return { ...host, calibration: cached };
  const calibration = await calibrateHost(ortVersion, { ...options, cpuModel: host.cpuModel, logicalCores: host.logicalCores, cacheBytes: cacheBytesFromOs(host.logicalCores).bytes, nchwcBlock: nchwcBlockFromOs() });
  await writeCachedCalibration(dir, calibration);
  return { ...host, calibration };
}
