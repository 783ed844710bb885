import type { SocTargetInput } from '../schema';
import { estimate, fig, measurement } from './common';

/** What the caller read about this machine (the CLI passes node:os figures; tests pass their own). */
export interface HostInfo {
  readonly cpuModel: string;
  readonly logicalCores: number;
  /** Clock in MHz as the OS reports it; 0 when unknown. */
  readonly cpuMHz: number;
  readonly totalMemoryBytes: number;
}

const placeholder = 'placeholder until `aios profile --measure` calibrates this machine';

/**
 * `host-cpu`: this machine. Core count, clock and memory size are read from the OS at run
 * time (measurement); throughput, bandwidth and power are placeholders marked `estimate`
 * until a measurement calibrates them.
 */
export function hostCpuTarget(host: HostInfo): SocTargetInput {
  const cores = Math.max(1, host.logicalCores);
  const mhz = host.cpuMHz > 0 ? host.cpuMHz : 2000;
  // 16 fp32 flops per cycle per core: one 256-bit FMA pipe; a guess, not a measurement.
  const fp32Gflops = Math.max(1, Math.round((cores * mhz * 16) / 1000));
  const memMiB = Math.max(1, Math.floor(host.totalMemoryBytes / 1024 ** 2));
  return {
    apiVersion: 'aios/v1',
    kind: 'SocTarget',
    id: 'host-cpu',
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
