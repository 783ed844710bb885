import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The cache the estimator treats as on-chip memory for host-cpu: the per-core level-2 caches
 * added up over the cores (each core keeps its part of a tensor there while onnxruntime's
 * threads split the work). Measured on this project's machines: tensors up to about that size
 * stream 10x faster than larger ones. Read from Linux's sysfs; elsewhere 1 MiB per core.
 */
export function cacheBytesFromOs(logicalCores: number, sysCpu = '/sys/devices/system/cpu'): { bytes: number; source: string } {
  const fallback = { bytes: Math.max(1, logicalCores) * 1024 * 1024, source: 'assumed 1 MiB of L2 per core (the OS did not say)' };
  try {
    const seen = new Set<string>();
    let total = 0;
    for (const cpu of readdirSync(sysCpu).filter((d) => /^cpu\d+$/.test(d))) {
      const dir = join(sysCpu, cpu, 'cache');
      for (const index of readdirSync(dir).filter((d) => d.startsWith('index'))) {
        const read = (f: string) => readFileSync(join(dir, index, f), 'utf8').trim();
        if (read('level') !== '2' || read('type') === 'Instruction') continue;
        const shared = read('shared_cpu_list');
        if (seen.has(shared)) continue;
        seen.add(shared);
        const size = /^(\d+)([KMG]?)$/.exec(read('size'));
        if (size) total += Number(size[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[size[2] ?? '']!;
      }
    }
    return total > 0 ? { bytes: total, source: `level-2 caches the OS reports (${seen.size} x ${total / seen.size / 1024} KiB)` } : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Floats per block of onnxruntime's NCHWc layout on this CPU: 16 with AVX-512, 8 on other x86-64
 * CPUs (AVX2), 0 elsewhere (onnxruntime's NCHWc pass is x86-only). Read from /proc/cpuinfo on
 * Linux; an x86-64 machine that does not say is taken for AVX2.
 */
export function nchwcBlockFromOs(arch: string = process.arch, cpuinfo = '/proc/cpuinfo'): number {
  if (arch !== 'x64') return 0;
  try {
    return /^flags\s*:.*\bavx512f\b/m.test(readFileSync(cpuinfo, 'utf8')) ? 16 : 8;
  } catch {
    return 8;
  }
}
