import { budgetDiagnostics, formatMs, shortTarget } from '../profile/budgets';
import { profileUseCase, ProfileInputError, runProfile } from '../profile/profileRun';
import type { EcuLoad, ProfileResult } from '../profile/result';
import { hostInfoFromOs } from '../soc/hostInfo';
import { loadCatalog } from '../soc/loadCatalog';
import type { PipelineStage, ReportSections, StageContext, StageOutcome } from './pipeline';
import { validateStage } from './validateStage';

const fmt = (ms: number) => `${formatMs(ms)} ms`;

/** One line per result: `sa8295p 6.1 ms ✓ of 8 ms`. */
function summary(result: ProfileResult): string {
  return result.results
    .map((r) => {
      const broken = Object.entries(r.fits).filter(([, f]) => f === false).map(([k]) => k);
      const of = r.budgets?.latencyMs !== undefined ? ` of ${fmt(r.budgets.latencyMs)}` : '';
      return `${shortTarget(r.target)} ${fmt(r.latencyMs)}${of}${broken.length > 0 ? ` (exceeds ${broken.join(', ')})` : ''}`;
    })
    .join('; ');
}

/** The report's profile section: each target against its budgets, and the split curve if any. */
function reportOf(result: ProfileResult): ReportSections {
  const profile = result.results.map((r) => ({
    target: r.target,
    latencyMs: r.latencyMs,
    ...(r.budgets?.latencyMs !== undefined ? { latencyBudgetMs: r.budgets.latencyMs } : {}),
    peakMemoryBytes: r.peakMemoryBytes,
    ...(r.budgets?.memoryBytes !== undefined ? { memoryBudgetBytes: r.budgets.memoryBytes } : {}),
    powerW: r.powerW,
    ...(r.budgets?.powerW !== undefined ? { powerBudgetW: r.budgets.powerW } : {}),
    fits: Object.values(r.fits).every((f) => f !== false),
  }));
  const split = result.results.find((r) => r.split)?.split;
  return {
    profile,
    ...(split
      ? { split: { cloudTarget: split.cloudTarget, best: split.best, cuts: split.cuts.map((c) => ({ label: c.after ?? '(all in the cloud)', vehicleMs: c.vehicleMs, transferMs: c.transferMs, cloudMs: c.cloudMs, totalMs: c.totalMs })) } }
      : {}),
  };
}

/**
 * Pipeline stage `profile`: estimates the use case's model on each of its targets with its
 * budgets; fails when a budget is exceeded (the detail names the target, figure and top layers).
 * A use case without targets is skipped.
 */
export function profileStage(): PipelineStage {
  return {
    name: 'profile',
    async run(context): Promise<StageOutcome> {
      const { useCase, fs, signal } = context;
      if (useCase.targets.length === 0) return { status: 'skipped', detail: 'the use case names no targets' };
      try {
        const { catalog } = await loadCatalog(fs, context.workspaceRoot, hostInfoFromOs(), signal);
        const result = await profileUseCase(context, catalog, {}, { fs, host: hostInfoFromOs(), ...(signal ? { signal } : {}) }, context.artifacts.inspect?.model);
        const failed = result.results.some((r) => Object.values(r.fits).some((f) => f === false));
        const ecu = await ecuOf(context);
        const report = { ...reportOf(result), ...(ecu ? { ecu: ecuReport(ecu) } : {}) };
        if (!failed && ecu?.verdict === 'overloaded') return { status: 'failed', detail: `${summary(result)}; ${ecuLine(ecu)}`, report };
        if (!failed) return { status: 'passed', detail: `${summary(result)}${ecu ? `; ${ecuLine(ecu)}` : ''}`, report };
        const text = new TextDecoder().decode(await fs.readFile(context.file, signal));
        const { parseYaml } = await import('../diagnostics/yamlDocument');
        const problems = budgetDiagnostics(parseYaml(text), useCase.targets, result.results);
        const first = problems[0];
        return { status: 'failed', detail: first ? `line ${first.range.start.line + 1}: ${first.message}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}` : summary(result), report };
      } catch (e) {
        if (signal?.aborted) throw e;
        if (e instanceof ProfileInputError) return { status: 'failed', detail: e.message };
        throw e;
      }
    },
  };
}

/**
 * The load of the use case's ECU (deployment.ecu) with every valid use case of the workspace
 * deployed on it, as `aios profile --ecu` computes it; none without deployment.ecu.
 */
async function ecuOf(context: StageContext): Promise<EcuLoad | undefined> {
  const ecu = context.useCase.deployment?.ecu;
  if (ecu === undefined) return undefined;
  const { fs, signal } = context;
  const loader = validateStage();
  const loadUseCase = async (file: string) => {
    // This use case was loaded already; the others are validated as the run would.
    if (file === context.file) return { loaded: context, problem: '' };
    const { outcome, loaded } = await loader.load(file, { fs, ...(signal ? { signal } : {}) });
    return { ...(loaded ? { loaded } : {}), problem: outcome.detail };
  };
  const result = await runProfile({ input: context.workspaceRoot, ecu }, { fs, host: hostInfoFromOs(), ...(signal ? { signal } : {}), loadUseCase });
  return result.ecu;
}

const percent = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

function ecuLine(e: EcuLoad): string {
  const busiest = [...e.engines].sort((a, b) => b.utilisation - a.utilisation)[0];
  const load = busiest ? `${busiest.engine} ${percent(busiest.utilisation)}` : 'no engine used';
  const shared = e.useCases.length > 1 ? ` with ${e.useCases.length} use cases` : '';
  return e.verdict === 'fits' ? `ECU ${e.ecu} fits${shared} (${load})` : `ECU ${e.ecu} overloaded by ${e.overloadPercent.toFixed(0)}%${shared} (${load}): lower an fps budget or move a use case to another ECU`;
}

function ecuReport(e: EcuLoad): NonNullable<ReportSections['ecu']> {
  return {
    ecu: e.ecu,
    soc: e.target,
    verdict: e.verdict === 'fits' ? 'fits' : `overloaded by ${e.overloadPercent.toFixed(0)}%`,
    fits: e.verdict === 'fits',
    engines: e.engines.map((x) => ({ engine: x.engine, utilisation: x.utilisation })),
    useCases: e.useCases.map((u) => `${u.name} (${u.fps.toFixed(u.fps < 10 ? 1 : 0)} fps${u.assumedFps ? ', assumed' : ''})`),
    memoryBytes: e.memoryBytes,
    memoryCapacityBytes: e.memoryCapacityBytes,
  };
}
