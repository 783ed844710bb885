import type { SocTarget } from '../soc/schema';
import { totalMemoryBytes } from '../soc/catalog';
import type { EcuLoad, TargetProfile } from './result';

export interface EcuMember {
  readonly file: string;
  readonly name: string;
  /** Inferences per second it must run at. */
  readonly fps: number;
  /** The fps was not given by the use case and was assumed. */
  readonly assumedFps: boolean;
  readonly profile: TargetProfile;
}

/**
 * Several use cases on one ECU and SoC, run side by side: each engine is busy for the sum over
 * use cases of (busy time per inference x fps); memory is the sum of their peaks (all resident).
 * Overloaded when an engine needs more than 100 % or memory exceeds the SoC's.
 */
export function ecuLoad(ecu: string, target: SocTarget, members: readonly EcuMember[]): EcuLoad {
  const utilisation = new Map<string, number>();
  for (const m of members) for (const e of m.profile.engines) utilisation.set(e.engine, (utilisation.get(e.engine) ?? 0) + (e.busyMs * m.fps) / 1e3);
  const engines = target.engines.filter((e) => utilisation.has(e.id)).map((e) => ({ engine: e.id, kind: e.kind, utilisation: utilisation.get(e.id) ?? 0 }));
  const memoryBytes = members.reduce((s, m) => s + m.profile.peakMemoryBytes, 0);
  const memoryCapacityBytes = totalMemoryBytes(target);
  const worst = Math.max(0, ...engines.map((e) => e.utilisation), memoryCapacityBytes > 0 ? memoryBytes / memoryCapacityBytes : 0);
  return {
    ecu,
    target: target.id,
    useCases: members.map((m) => ({ file: m.file, name: m.name, fps: m.fps, ...(m.assumedFps ? { assumedFps: true } : {}), latencyMs: m.profile.latencyMs, peakMemoryBytes: m.profile.peakMemoryBytes })),
    engines,
    memoryBytes,
    memoryCapacityBytes,
    verdict: worst > 1 ? 'overloaded' : 'fits',
    overloadPercent: worst > 1 ? (worst - 1) * 100 : 0,
  };
}
