/**
 * Repeatability of the host-cpu calibration (profile-host with AIOS_BENCH_CALIBRATE_TWICE=1): a
 * second calibration right after the first, and how far each figure moved.
 */
import type { HostCalibration } from '../src/core/soc/hostCalibration';
import { median } from '../src/core/profile/measure/statistics';
import type { BenchTable } from './harness';

export function repeatTable(a: HostCalibration, b: HostCalibration): BenchTable {
  const change = (x: number, y: number) => y / x - 1;
  const pct = (d: number) => `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)}%`;
  const kernelChanges = a.benchmarks.map((bench, i) => ({ name: bench.name, d: change(a.kernels[i]!.rate, b.kernels[i]!.rate) }));
  const within = (limit: number) => kernelChanges.filter((k) => Math.abs(k.d) <= limit).length;
  const worst = [...kernelChanges].sort((x, y) => Math.abs(y.d) - Math.abs(x.d)).slice(0, 5);
  const rows: Array<[string, number, number]> = [
    ['peak fp32 ops/s', a.peakFp32OpsPerS, b.peakFp32OpsPerS],
    ['per-run fixed cost, s', a.runS, b.runS],
    ['per-node cost, s', a.overheadS, b.overheadS],
    ['DRAM bytes/s', a.dramBytesPerS, b.dramBytesPerS],
    ['cache bytes/s', a.cacheBytesPerS, b.cacheBytesPerS],
  ];
  return {
    title: 'host-cpu calibration twice, back to back',
    columns: ['figure', 'first', 'second', 'change'],
    rows: [
      ...rows.map(([name, x, y]) => [name, x.toPrecision(4), y.toPrecision(4), pct(change(x, y))]),
      [`kernel rates (${kernelChanges.length})`, `${within(0.05)} within ±5%`, `${within(0.1)} within ±10%`, `median |change| ${pct(median(kernelChanges.map((k) => Math.abs(k.d))) ?? 0)}`],
      ...worst.map((k) => [`  ${k.name}`, '', '', pct(k.d)]),
    ],
    notes: [`runs of the suite: ${a.runs} and ${b.runs}`],
  };
}
