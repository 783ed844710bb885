import type { ProfileView } from '../../../protocol/profileView';
import type { ProfileResult } from '../result';

/**
 * The profile webview's data from a profile result: the fields the page draws, with the
 * measured per-layer times of host-cpu set beside its estimated layers.
 */
export function profileViewData(result: ProfileResult, title: string, memoryCapacity?: ReadonlyMap<string, number>): ProfileView {
  const measured = new Map<string, number>();
  for (const l of result.measured?.layers ?? []) for (const n of [l.node, ...(l.covers ?? [])]) if (!measured.has(n)) measured.set(n, l.ms);
  const m = result.measured;
  return {
    title,
    ...(result.model ? { model: result.model } : {}),
    ...(result.useCase ? { useCase: result.useCase } : {}),
    results: result.results.map((r) => ({
      target: r.target,
      ...(r.targetName ? { targetName: r.targetName } : {}),
      precision: r.precision,
      latencyMs: r.latencyMs,
      peakMemoryBytes: r.peakMemoryBytes,
      energyMj: r.energyMj,
      powerW: r.powerW,
      sustainedFps: r.sustainedFps,
      ...(r.budgets ? { budgets: r.budgets } : memoryCapacity?.has(r.target) ? { budgets: { memoryBytes: memoryCapacity.get(r.target) } } : {}),
      fits: r.fits,
      layers: r.layers.map((l) => {
        const ms = r.target === 'host-cpu' ? [l.node, ...(l.fusedWith ?? [])].map((n) => measured.get(n)).find((v) => v !== undefined) : undefined;
        return { node: l.node, op: l.op, engine: l.engine, ms: l.ms, flops: l.flops, bytes: l.bytes, bound: l.bound, ...(ms === undefined ? {} : { measuredMs: ms }) };
      }),
      engines: r.engines.map((e) => ({ engine: e.engine, kind: e.kind, utilisation: e.utilisation, peakOpsPerS: e.peakOpsPerS, bandwidthBytesPerS: e.bandwidthBytesPerS })),
      warnings: r.warnings,
      ...(r.split ? { split: { cloudTarget: r.split.cloudTarget, best: r.split.best, cuts: r.split.cuts.map((c) => ({ vehicleNodes: c.vehicleNodes, ...(c.after ? { after: c.after } : {}), vehicleMs: c.vehicleMs, transferMs: c.transferMs, cloudMs: c.cloudMs, totalMs: c.totalMs })) } } : {}),
    })),
    ...(m
      ? {
          measured: {
            p50Ms: m.p50Ms,
            p90Ms: m.p90Ms,
            p99Ms: m.p99Ms,
            runs: m.runs,
            ...(m.rankCorrelation === undefined ? {} : { rankCorrelation: m.rankCorrelation }),
            ...(m.estimateRatio === undefined ? {} : { estimateRatio: m.estimateRatio }),
            ...(m.comparedLayers === undefined ? {} : { comparedLayers: m.comparedLayers }),
          },
        }
      : {}),
    ...(result.measureError ? { measureError: result.measureError } : {}),
    ...(result.ecu
      ? {
          ecu: {
            ecu: result.ecu.ecu,
            target: result.ecu.target,
            verdict: result.ecu.verdict,
            overloadPercent: result.ecu.overloadPercent,
            memoryBytes: result.ecu.memoryBytes,
            memoryCapacityBytes: result.ecu.memoryCapacityBytes,
            engines: result.ecu.engines.map((e) => ({ engine: e.engine, utilisation: e.utilisation })),
            useCases: result.ecu.useCases.map((u) => ({ name: u.name, fps: u.fps, latencyMs: u.latencyMs })),
          },
        }
      : {}),
  };
}
