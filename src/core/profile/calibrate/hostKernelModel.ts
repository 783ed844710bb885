/**
 * host-cpu's kernel times from its calibration: each node's kernel kind and shape
 * (kernelKinds.ts), the measured speed of that kind interpolated to the shape (rateTable.ts),
 * and time = FLOPs or bytes / speed; plus the layout reorders onnxruntime inserts (nchwc.ts). The
 * estimator adds the per-node and per-run fixed costs.
 */
import type { HostCalibration } from '../../soc/hostCalibration';
import type { AnalysedModel } from '../estimate';
import { describeKernel, type KernelKind } from './kernelKinds';
import { nchwcReorderBytes } from './nchwc';
import { interpolateRate, type RatePoint } from './rateTable';

export interface HostKernelTimes {
  /** Seconds per entry of `cost.nodes`; NaN where the node has no measured kind (the generic roofline applies). */
  readonly seconds: Float64Array;
  /** 1 where the kind is memory-bound (timed in bytes/s). */
  readonly memoryBound: Uint8Array;
  /** Seconds of the layout reorders onnxruntime inserts before each node (nchwc.ts), at the measured copy speed. */
  readonly reorderSeconds: Float64Array;
}

export interface HostKernelModel {
  kernelTimes(analysed: AnalysedModel): HostKernelTimes;
}

export function hostKernelModel(calibration: HostCalibration): HostKernelModel {
  const points: RatePoint[] = calibration.kernels.map((k) => ({ kind: k.kind, dims: [k.dims[0], k.dims[1], k.dims[2]], rate: k.rate }));
  const byKind = new Map<KernelKind, RatePoint[]>();
  for (const p of points) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  const rates = new Map<string, number | undefined>();
  const rateOf = (kind: KernelKind, dims: readonly [number, number, number]) => {
    const key = `${kind}:${dims.join('x')}`;
    if (!rates.has(key)) rates.set(key, interpolateRate(byKind.get(kind) ?? [], kind, dims));
    return rates.get(key);
  };
  const done = new WeakMap<AnalysedModel, HostKernelTimes>();
  return {
    kernelTimes(analysed) {
      const cached = done.get(analysed);
      if (cached) return cached;
      const { model, shapes, cost } = analysed;
      const weights = new Set(model.graph.initializers.map((t) => t.name));
      for (const e of cost.nodes) if (e.node.opType === 'Constant') for (const o of e.node.outputs) weights.add(o);
      const seconds = new Float64Array(cost.nodes.length).fill(Number.NaN);
      const memoryBound = new Uint8Array(cost.nodes.length);
      cost.nodes.forEach((entry, i) => {
        const shape = describeKernel(entry.node, shapes, weights, entry.cost.flops);
        const rate = shape && rateOf(shape.kind, shape.dims);
        if (!shape || rate === undefined) return;
        seconds[i] = shape.work / rate;
        memoryBound[i] = shape.unit === 'bytes' ? 1 : 0;
      });
      const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
      const reorderBytes = calibration.nchwcBlock > 0 ? nchwcReorderBytes(cost.nodes, shapes, weights, graphOutputs, calibration.nchwcBlock) : new Float64Array(cost.nodes.length);
      const reorderSeconds = reorderBytes.map((b) => (b > 0 ? b / (rateOf('copy', [b, 1, 1]) ?? calibration.dramBytesPerS) : 0));
      const times = { seconds, memoryBound, reorderSeconds };
      done.set(analysed, times);
      return times;
    },
  };
}
