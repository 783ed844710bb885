import type { EngineKind, Precision } from '../compute/words';
import type { SocTarget } from '../soc/schema';
import { engineModel, type EngineModel } from './engineModel';
import type { ProfileWarning } from './result';

/** The engines a model is placed on: the preferred one and the fallback for ops it does not run. */
export interface Placement {
  readonly primary: EngineModel;
  /** Runs what the primary does not; the primary itself when nothing else is better. */
  readonly fallback: EngineModel;
  readonly engines: readonly EngineModel[];
  readonly warnings: readonly ProfileWarning[];
}

/**
 * Picks the primary engine: of the requested kind if given, else the fastest at the precision
 * (an engine running it natively beats one that would fall back to another precision); the
 * fallback is the CPU (every target's general-purpose engine), else the engine running the most ops.
 */
export function placeModel(target: SocTarget, precision: Precision, requested?: EngineKind): Placement {
  const warnings: ProfileWarning[] = [];
  const models = target.engines.map((e) => engineModel(target, e, precision)).filter((m): m is EngineModel => m !== undefined);
  if (models.length === 0) throw new Error(`SoC target ${target.id} has no engine with a precision; add precisions to one of its engines`);
  const rank = (m: EngineModel) => (m.precision === precision ? 1 : 0) * 1e30 + m.peakOpsPerS;
  let candidates = models;
  if (requested) {
    const ofKind = models.filter((m) => m.kind === requested);
    if (ofKind.length === 0) {
      warnings.push({ code: 'no-engine-of-kind', message: `${target.id} has no ${requested} engine (it has ${[...new Set(models.map((m) => m.kind))].join(', ')}); estimated on its fastest engine instead` });
    } else candidates = ofKind;
  }
  const primary = [...candidates].sort((a, b) => rank(b) - rank(a))[0] as EngineModel;
  if (primary.precision !== precision) {
    warnings.push({ code: 'precision-not-supported', message: `no ${requested ? `${requested} ` : ''}engine of ${target.id} runs ${precision}; estimated at ${primary.precision} on ${primary.id}` });
  }
  const cpu = models.filter((m) => m.kind === 'cpu' && m !== primary).sort((a, b) => rank(b) - rank(a))[0];
  const general = models.filter((m) => m !== primary && m.ops === undefined).sort((a, b) => rank(b) - rank(a))[0];
  const fallback = cpu ?? general ?? primary;
  return { primary, fallback, engines: models, warnings };
}

/** The engine a node runs on: the primary when it runs the op, else the fallback. */
export function engineFor(placement: Placement, opType: string): EngineModel {
  return placement.primary.runs(opType) ? placement.primary : placement.fallback;
}
