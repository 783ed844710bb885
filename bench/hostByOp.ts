/**
 * The profile-host bench's per-op view (AIOS_BENCH_BY_OP=1): per op type of a model, the host-cpu
 * estimate beside onnxruntime's per-kernel profile (the `--measure` comparison, summed by op
 * type), to see which kinds of kernel the estimate gets wrong. Kernels onnxruntime inserts
 * (layout reorders) have a row of their own.
 */
import type { Cell } from './harness';
import { compareLayers } from '../src/core/profile/measure/compareLayers';
import { measureModel } from '../src/core/profile/measure/measureModel';
import type { ProfileLayer } from '../src/core/profile/result';

export async function byOpRows(label: string, path: string, given: Record<string, number[]>, layers: readonly ProfileLayer[]): Promise<Cell[][]> {
  const m = await measureModel(path, { given, warmupRuns: 2, minRuns: 3, maxRuns: 3, profileRuns: 5 });
  const cmp = compareLayers(layers, m.layers);
  const byOp = new Map<string, { n: number; est: number; meas: number }>();
  cmp.layers.forEach((l, i) => {
    const layer = layers[i]!;
    const op = layer.op + (layer.fusedWith ? '+' : '');
    const e = byOp.get(op) ?? { n: 0, est: 0, meas: 0 };
    e.n++;
    e.est += l.estimatedMs;
    e.meas += l.measuredMs ?? 0;
    byOp.set(op, e);
  });
  for (const u of m.unattributed) {
    const e = byOp.get(`(${u.op})`) ?? { n: 0, est: 0, meas: 0 };
    e.n++;
    e.meas += u.ms;
    byOp.set(`(${u.op})`, e);
  }
  const kernelMs = [...byOp.values()].reduce((a, e) => a + e.meas, 0);
  return [...byOp]
    .sort((a, b) => Math.max(b[1].meas, b[1].est) - Math.max(a[1].meas, a[1].est))
    .filter(([, e]) => Math.max(e.meas, e.est) >= 0.02 * kernelMs)
    .map(([op, e]) => [label, op, e.n, e.est.toFixed(3), e.meas.toFixed(3), e.meas > 0 ? (e.est / e.meas).toFixed(2) : '']);
}
