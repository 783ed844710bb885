import type { UseCase } from '../usecase/schema';

/** What the gates read of a run record (`.aios/runs/<id>/run.json`). */
export interface RunEvidence {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly endedAt: string | null;
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
  readonly outputs: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
  readonly summary: unknown;
  /** Why it did not succeed. */
  readonly error?: string;
}

export type GateName = 'validation' | 'budgets' | 'sqnr' | 'version';

export interface GateResult {
  readonly name: GateName;
  readonly passed: boolean;
  readonly detail: string;
  /** Failed, and passed anyway because of --force (recorded in the signed metadata). */
  readonly forced?: boolean;
  /** Failed because no run record of the exact model was found (not because a figure missed). */
  readonly noEvidence?: boolean;
}

/**
 * The newest succeeded run of `kind` that read the model with this sha256 (hex): a result is
 * only evidence for the exact bytes it was computed on.
 */
export function matchingRun(runs: readonly RunEvidence[], kind: string, modelSha256: string): RunEvidence | undefined {
  return runs
    .filter((r) => r.kind === kind && r.status === 'succeeded' && r.inputs.some((i) => i.sha256 === modelSha256))
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))[0];
}

const hint = (kind: string, file: string) => `run 'aios ${kind} ${file}' first (its run record is the evidence)`;

/** Gate `budgets`: every target result of the matching profile run fits. */
export function budgetsGate(useCase: UseCase, profileRun: RunEvidence | undefined, modelSha256: string, useCaseArg: string, profileAvailable: boolean): GateResult {
  const name = 'budgets';
  if (useCase.release?.gates.budgets === false) return { name, passed: true, detail: 'off (release.gates.budgets: false)' };
  const withBudgets = useCase.targets.filter((t) => Object.keys(t.budgets ?? {}).length > 0);
  if (withBudgets.length === 0) return { name, passed: true, detail: 'no target has budgets' };
  if (!profileRun) {
    return {
      name,
      passed: false,
      noEvidence: true,
      detail: profileAvailable
        ? `no profile run of this model (sha256 ${modelSha256.slice(0, 12)}): ${hint('profile', useCaseArg)}`
        : `no profile run of this model (sha256 ${modelSha256.slice(0, 12)}) and profiling is not available in this version: the budgets cannot be checked (use --force to release anyway, recorded)`,
    };
  }
  const results = (profileRun.summary as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length === 0) return { name, passed: false, detail: `profile run ${profileRun.id} has no results` };
  const misses: string[] = [];
  for (const r of results as Array<{ target?: unknown; fits?: Record<string, unknown> }>) {
    for (const [budget, fits] of Object.entries(r.fits ?? {})) if (fits === false) misses.push(`${String(r.target)} ${budget}`);
  }
  return misses.length > 0
    ? { name, passed: false, detail: `over budget: ${misses.join(', ')} (profile run ${profileRun.id})` }
    : { name, passed: true, detail: `${results.length} target${results.length === 1 ? '' : 's'} fit (profile run ${profileRun.id})` };
}

/** Gate `sqnr`: the matching quantize run's output SQNR is at least `quantization.minSqnrDb`. */
export function sqnrGate(useCase: UseCase, quantizeRun: RunEvidence | undefined, modelSha256: string, useCaseArg: string, quantizeAvailable: boolean): GateResult {
  const name = 'sqnr';
  if (useCase.release?.gates.sqnr === false) return { name, passed: true, detail: 'off (release.gates.sqnr: false)' };
  const q = useCase.quantization;
  if (q === undefined || q.precision === 'fp32') return { name, passed: true, detail: 'not quantized (fp32)' };
  const min = q.minSqnrDb;
  if (min === undefined) return { name, passed: true, detail: 'no quantization.minSqnrDb set' };
  if (!quantizeRun) {
    return {
      name,
      passed: false,
      noEvidence: true,
      detail: quantizeAvailable
        ? `no quantize run of this model (sha256 ${modelSha256.slice(0, 12)}): ${hint('quantize', useCaseArg)}`
        : `no quantize run of this model (sha256 ${modelSha256.slice(0, 12)}) and quantization is not available in this version: SQNR >= ${min} dB cannot be checked`,
    };
  }
  const sqnr = (quantizeRun.summary as { outputSqnrDb?: unknown } | null)?.outputSqnrDb;
  if (typeof sqnr !== 'number') return { name, passed: false, detail: `quantize run ${quantizeRun.id} reports no outputSqnrDb` };
  return sqnr >= min
    ? { name, passed: true, detail: `${sqnr.toFixed(1)} dB >= ${min} dB (quantize run ${quantizeRun.id})` }
    : { name, passed: false, detail: `${sqnr.toFixed(1)} dB < ${min} dB (quantize run ${quantizeRun.id})` };
}
