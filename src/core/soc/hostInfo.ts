import { cpus, totalmem } from 'node:os';
import type { HostInfo } from './catalog/hostCpu';

/** Reads this machine's figures for the `host-cpu` target. Callers pass the result into the core. */
export function hostInfoFromOs(): HostInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? '',
    logicalCores: list.length,
    cpuMHz: list[0]?.speed ?? 0,
    totalMemoryBytes: totalmem(),
  };
}
