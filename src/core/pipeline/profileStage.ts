import { budgetDiagnostics, formatMs, shortTarget } from '../profile/budgets';
import { profileUseCase, ProfileInputError } from '../profile/profileRun';
import type { ProfileResult } from '../profile/result';
import { hostInfoFromOs } from '../soc/hostInfo';
import { loadCatalog } from '../soc/loadCatalog';
import type { PipelineStage, ReportSections, StageOutcome } from './pipeline';

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
        const report = reportOf(result);
        if (!failed) return { status: 'passed', detail: summary(result), report };
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
