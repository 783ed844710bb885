import type { MeasuredProfile, TargetProfile } from '../result';
import type { HostMeasurement } from './measureModel';
import { compareLayers } from './compareLayers';

/**
 * The `measured` part of a profile result from a host measurement, set beside the host-cpu
 * estimate when the result has one: per layer the estimated time next to the measured one,
 * the rank correlation between them and the ratio of the totals.
 */
export function measuredProfile(m: HostMeasurement, hostEstimate?: Pick<TargetProfile, 'latencyMs' | 'layers'>): MeasuredProfile {
  const base: MeasuredProfile = {
    p50Ms: m.p50Ms,
    p90Ms: m.p90Ms,
    p99Ms: m.p99Ms,
    runs: m.runs,
    warmupRuns: m.warmupRuns,
    ortVersion: m.ortVersion,
    inputs: m.inputs.map((i) => ({ name: i.name, dims: [...i.dims] })),
    layers: m.layers.map((l) => ({ node: l.node, op: l.op, ms: l.ms, ...(l.covers.length > 0 ? { covers: [...l.covers] } : {}) })),
    unattributedMs: m.unattributed.reduce((sum, u) => sum + u.ms, 0),
  };
  if (!hostEstimate) return base;
  const comparison = compareLayers(hostEstimate.layers, m.layers);
  // The estimate's layer of each measured node: where the comparison counted its time.
  const estimatedOf = new Map<string, number>();
  for (const l of hostEstimate.layers) for (const n of [l.node, ...(l.fusedWith ?? [])]) if (!estimatedOf.has(n)) estimatedOf.set(n, l.ms);
  return {
    ...base,
    layers: (base.layers ?? []).map((l) => {
      const estimated = [l.node, ...(l.covers ?? [])].map((n) => estimatedOf.get(n)).find((v) => v !== undefined);
      return estimated === undefined ? l : { ...l, estimatedMs: estimated };
    }),
    ...(comparison.rankCorrelation === undefined ? {} : { rankCorrelation: comparison.rankCorrelation }),
    comparedLayers: comparison.comparedLayers,
    ...(m.p50Ms > 0 ? { estimateRatio: hostEstimate.latencyMs / m.p50Ms } : {}),
  };
}
