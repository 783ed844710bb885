import { cpus, totalmem } from 'node:os';
import type { HostInfo } from './catalog/hostCpu';
import { calibrationCacheDir, installedOrtVersion, readCachedCalibration } from './hostCalibration';

/**
 * Reads this machine's figures for the `host-cpu` target, with its cached calibration when
 * `aios profile` has measured this machine before. Callers pass the result into the core.
 */
export function hostInfoFromOs(env: NodeJS.ProcessEnv = process.env): HostInfo {
  const list = cpus();
  const host: HostInfo = {
    cpuModel: list[0]?.model.trim() ?? '',
    logicalCores: list.length,
    cpuMHz: list[0]?.speed ?? 0,
    totalMemoryBytes: totalmem(),
  };
  const ortVersion = installedOrtVersion();
  const calibration = ortVersion === undefined ? undefined : readCachedCalibration(calibrationCacheDir(env), { cpuModel: host.cpuModel, logicalCores: host.logicalCores, ortVersion });
  return calibration ? { ...host, calibration } : host;
}
