import type { OpClass } from '../../compute/words';
import type { HostCalibration } from '../hostCalibration';
import type { SocTargetInput } from '../schema';
import { estimate, fig, measurement } from './common';

/** What the caller read about this machine (the CLI passes node:os figures; tests pass their own). */
export interface HostInfo {
  readonly cpuModel: string;
  readonly logicalCores: number;
  /** Clock in MHz as the OS reports it; 0 when unknown. */
  readonly cpuMHz: number;
  readonly totalMemoryBytes: number;
  /** This machine's measured figures (`aios profile` on host-cpu measures them once and caches them). */
  readonly calibration?: HostCalibration;
}

export const hostCpuId = 'host-cpu';

const placeholder = 'placeholder until `aios profile --measure` calibrates this machine';

/**
 * `host-cpu`: this machine. Core count, clock and memory size are read from the OS at run
 * time (measurement); throughput, bandwidth and power are placeholders marked `estimate`
 * until a measurement calibrates them.
 */
export function hostCpuTarget(host: HostInfo): SocTargetInput {
  if (host.calibration) return calibratedHostCpuTarget(host, host.calibration);
  const cores = Math.max(1, host.logicalCores);
  const mhz = host.cpuMHz > 0 ? host.cpuMHz : 2000;
  // 16 fp32 flops per cycle per core: one 256-bit FMA pipe; a guess, not a measurement.
  const fp32Gflops = Math.max(1, Math.round((cores * mhz * 16) / 1000));
  const memMiB = Math.max(1, Math.floor(host.totalMemoryBytes / 1024 ** 2));
  return {
    apiVersion: 'aios/v1',
    kind: 'SocTarget',
    id: hostCpuId,
    name: `This machine (${host.cpuModel || 'unknown CPU'})`,
    vendor: 'host',
    description: 'The machine running AIOS Workbench; calibrated by measurement with `aios profile --measure`.',
    engines: [
      {
        id: 'cpu',
        kind: 'cpu',
        name: host.cpuModel || 'host CPU',
        precisions: {
          fp32: { peak: fig(`${fp32Gflops}GFLOPS`, estimate(`${cores} cores x ${mhz} MHz x 16 flops/cycle; ${placeholder}`)) },
          fp16: { peak: fig(`${fp32Gflops}GFLOPS`, estimate(`fp16 runs at fp32 speed on most x86 CPUs; ${placeholder}`)) },
          int8: { peak: fig(`${fp32Gflops * 2}GOPS`, estimate(`2x fp32 for int8 dot products; ${placeholder}`)) },
          'int4-weight': { peak: fig(`${fp32Gflops}GOPS`, estimate(`weights unpacked to float; ${placeholder}`)) },
        },
        fusions: [['Conv', 'Relu'], ['MatMul', 'Add'], ['Gemm', 'Relu']],
        clock: fig(`${mhz}MHz`, host.cpuMHz > 0 ? measurement('os.cpus() speed reported by the OS') : estimate('the OS reported no clock; assumed 2 GHz')),
      },
    ],
    memories: [
      {
        id: 'dram',
        kind: 'dram',
        size: fig(`${memMiB}MiB`, measurement('os.totalmem() on this machine')),
        bandwidth: fig('20GB/s', estimate(placeholder)),
      },
    ],
    power: {
      static: fig('10W', estimate(placeholder)),
      sustained: fig('65W', estimate(`typical desktop/server CPU package limit; ${placeholder}`)),
      energyPerOp: { fp32: fig('20pJ', estimate(placeholder)) },
    },
    links: [{ from: 'cpu', to: 'dram', bandwidth: fig('20GB/s', estimate(placeholder)) }],
  };
}

/** Four significant digits, never in exponent notation for the magnitudes used here. */
const sig = (x: number) => String(Number(x.toPrecision(4)));
const gb = (bytesPerS: number) => `${sig(bytesPerS / 1e9)}GB/s`;

/** `host-cpu` with the figures measured on this machine (see src/core/profile/calibrate). */
function calibratedHostCpuTarget(host: HostInfo, c: HostCalibration): SocTargetInput {
  const mhz = host.cpuMHz > 0 ? host.cpuMHz : 2000;
  const memMiB = Math.max(1, Math.floor(host.totalMemoryBytes / 1024 ** 2));
  const run = `micro-benchmarks in onnxruntime-node ${c.ortVersion} on ${c.cpuModel || 'this CPU'} (${c.logicalCores} cores), ${c.measuredAt}`;
  const gflops = `${sig(c.peakFp32OpsPerS / 1e9)}GFLOPS`;
  const efficiency = Object.fromEntries(
    (Object.entries(c.efficiency) as Array<[OpClass, number]>).map(([cls, value]) => [cls, { value, source: measurement(run, `achieved ops/s of ${cls} ops over the peak`) }]),
  );
  return {
    apiVersion: 'aios/v1',
    kind: 'SocTarget',
    id: hostCpuId,
    name: `This machine (${host.cpuModel || 'unknown CPU'})`,
    vendor: 'host',
    description: 'The machine running AIOS Workbench; calibrated by micro-benchmarks in onnxruntime-node (cached per machine).',
    engines: [
      {
        id: 'cpu',
        kind: 'cpu',
        name: host.cpuModel || 'host CPU',
        precisions: {
          fp32: { peak: fig(gflops, measurement(run, 'best fp32 throughput of the dense micro-benchmarks (conv, matmul)')) },
          fp16: { peak: fig(gflops, estimate('onnxruntime\'s CPU provider runs most fp16 ops at fp32 speed or slower; fp16 is not measured')) },
          int8: { peak: fig(`${sig((2 * c.peakFp32OpsPerS) / 1e9)}GOPS`, estimate('2x the measured fp32 peak for int8 dot products; int8 is not measured')) },
          'int4-weight': { peak: fig(gflops, estimate('weights unpacked to float: the measured fp32 peak')) },
        },
        // onnxruntime's CPU provider folds BatchNormalization into a Conv and fuses these activations into it (ConvActivationFusion, NCHWc sum fusion).
        fusions: [
          ...['Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'Tanh'].flatMap((act) => [['Conv', 'BatchNormalization', act], ['Conv', act]]),
          ['Conv', 'BatchNormalization'],
          ['Conv', 'Add', 'Relu'],
          ['Conv', 'Add'],
          ['MatMul', 'Add'],
          ['Gemm', 'Relu'],
        ],
        efficiency,
        overhead: fig(`${sig(Math.max(0.001, c.overheadS * 1e6))}us`, measurement(run, 'time per node of a chain of tiny ops')),
        clock: fig(`${mhz}MHz`, host.cpuMHz > 0 ? measurement('os.cpus() speed reported by the OS') : estimate('the OS reported no clock; assumed 2 GHz')),
      },
    ],
    memories: [
      { id: 'cache', kind: 'sram', size: fig(`${Math.max(1, Math.round(c.cacheBytes / 1024))}KiB`, measurement('the CPU cache sizes the OS reports')), bandwidth: fig(gb(c.cacheBytesPerS), measurement(run, 'elementwise ops on tensors that fit in cache')) },
      { id: 'dram', kind: 'dram', size: fig(`${memMiB}MiB`, measurement('os.totalmem() on this machine')), bandwidth: fig(gb(c.dramBytesPerS), measurement(run, 'elementwise ops on tensors larger than the caches')) },
    ],
    power: {
      static: fig('10W', estimate('not measured: power is not observable from user space on most machines')),
      sustained: fig('65W', estimate('typical desktop/server CPU package limit; not measured')),
      energyPerOp: { fp32: fig('20pJ', estimate('not measured')) },
    },
    links: [{ from: 'cpu', to: 'dram', bandwidth: fig(gb(c.dramBytesPerS), measurement(run, 'elementwise ops on tensors larger than the caches')) }],
    invocationOverhead: fig(`${sig(Math.max(0.001, c.runS * 1e6))}us`, measurement(run, 'time of a one-node run beyond its kernel')),
  };
}
