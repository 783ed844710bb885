/**
 * Figures of `host-cpu` measured on this machine by micro-benchmarks in onnxruntime-node
 * (src/core/profile/calibrate), cached per machine outside the workspace: one JSON file per
 * CPU model, core count and onnxruntime version, under `$AIOS_CACHE_DIR` (default: the user's
 * cache folder, `$XDG_CACHE_HOME/aios-workbench` or `~/.cache/aios-workbench`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { opClasses } from '../compute/words';
import { kernelKinds } from '../compute/kernelKinds';

const positive = z.number().positive();

export const hostCalibrationSchema = z.object({
  /** 3: kernel speeds per kind and shape from onnxruntime's per-kernel profile, medians (2: fastest runs, one speed per op class). */
  version: z.literal(3),
  cpuModel: z.string(),
  logicalCores: z.number().int().positive(),
  ortVersion: z.string(),
  /** ISO time of the measurement. */
  measuredAt: z.string(),
  /** Profiled runs of the micro-benchmark suite the kernel medians are over. */
  runs: z.number().int().positive(),
  /** Best fp32 throughput any op class reached, ops/s: the host's peak in the estimator. */
  peakFp32OpsPerS: positive,
  /** Achieved / peak per op class (0..1]. */
  efficiency: z.partialRecord(z.enum(opClasses), z.number().gt(0).max(1)),
  /** Fixed time per kernel, s (onnxruntime's dispatch of one node). */
  overheadS: z.number().nonnegative(),
  /** Fixed time per inference, s: a one-node run's time beyond its kernel (the runtime call, inputs and outputs). */
  runS: z.number().nonnegative(),
  /** Streaming bandwidth of tensors larger than the caches, bytes/s. */
  dramBytesPerS: positive,
  /** Last-level cache of the cores, bytes (the estimator's on-chip memory). */
  cacheBytes: positive,
  /** Floats per SIMD block of onnxruntime's NCHWc layout on this CPU (16 with AVX-512, 8 with AVX2; 0: no NCHWc layout). */
  nchwcBlock: z.number().int().nonnegative(),
  /** Streaming bandwidth of tensors that fit in cache, bytes/s. */
  cacheBytesPerS: positive,
  /** Measured speed per kernel kind and shape: FLOPs/s (dense kinds, dims = reduction, outputs, positions) or bytes/s (memory-bound kinds, dims = [bytes, 1, 1]). */
  kernels: z.array(z.object({ kind: z.enum(kernelKinds), dims: z.tuple([positive, positive, positive]), rate: positive })),
  /** The micro-benchmarks behind the figures: FLOPs or bytes of one execution and the median kernel time. */
  benchmarks: z.array(z.object({ name: z.string(), kind: z.string(), unit: z.enum(['flops', 'bytes']), work: z.number().nonnegative(), ms: z.number().nonnegative() })),
});

export type HostCalibration = z.output<typeof hostCalibrationSchema>;

/** What the cache is keyed by: a calibration holds for this CPU, core count and onnxruntime only. */
export interface CalibrationKey {
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly ortVersion: string;
}

export function calibrationCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['AIOS_CACHE_DIR']) return join(env['AIOS_CACHE_DIR'], 'host-calibration');
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'aios-workbench', 'host-calibration');
}

export function calibrationFile(dir: string, key: CalibrationKey): string {
  const digest = createHash('sha256').update(`${key.cpuModel}\n${key.logicalCores}\n${key.ortVersion}`).digest('hex').slice(0, 16);
  // The schema version is in the name: tools of different versions on one machine keep their own files instead of replacing each other's.
  return join(dir, `host-v3-${digest}.json`);
}

/** The cached calibration for `key`; undefined when there is none, it is unreadable, or it is of another machine. */
export function readCachedCalibration(dir: string, key: CalibrationKey): HostCalibration | undefined {
  let text: string;
  try {
    text = readFileSync(calibrationFile(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = hostCalibrationSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  return c.cpuModel === key.cpuModel && c.logicalCores === key.logicalCores && c.ortVersion === key.ortVersion ? c : undefined;
}

/** The installed onnxruntime-node's version, read from its package.json (no native load); undefined when it is not installed. */
export function installedOrtVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
