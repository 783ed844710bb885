import { dirname, relative, sep } from 'node:path';
import { LayoutRegistry, localRegistryDir } from '../registry/layout/layoutRegistry';
import type { GateResult, RunEvidence } from '../release/gates';
import { signingKeyFor } from '../release/keys';
import { releaseUseCase, type ReplaySummary } from '../release/release';
import { replay, ReplayInputError } from '../replay/replay';
import type { UseCase } from '../usecase/schema';
import type { PipelineStage, ReportSections, StageContext, StageOutcome } from './pipeline';

export interface ReleaseStageOptions {
  /** Run records the gates take quantize and profile results from. */
  readonly runs?: () => Promise<readonly RunEvidence[]>;
  /** One line into the run's log. */
  readonly log?: (line: string) => void;
}

/**
 * Pipeline stage `release` (local): the use case's release to the embedded registry, signed
 * with the default key (created on first use, and the detail says so). A gate that fails only
 * because the quantize or profile stage is not available yet makes the stage `skipped` (the
 * pipeline is incomplete, nothing failed); any other failed gate fails it.
 */
export function releaseStage(options: ReleaseStageOptions = {}): PipelineStage {
  return {
    name: 'release',
    async run({ file, useCase, workspaceRoot, model, previous, fs, signal }): Promise<StageOutcome> {
      if (!useCase.release) return { status: 'skipped', detail: 'no release: section in the use case' };
      let replayed: ReplaySummary | undefined;
      try {
        replayed = await replayRecordings(file, useCase, fs, signal);
      } catch (e) {
        if (e instanceof ReplayInputError) return { status: 'failed', detail: `not released: the replay of dataLoop.data cannot run: ${e.message}` };
        throw e;
      }
      const replaySection: ReportSections = replayed ? { replay: replayReport(replayed) } : {};
      if (replayed) options.log?.(`replay: ${replayed.samples} samples, ${replayed.capturesPerDay.toFixed(1)} captures/day, ${replayed.withinMaxPerDay ? 'every trigger within' : 'a trigger over'} its maxPerDay`);
      let createdKey: string | undefined;
      const report = await releaseUseCase({
        file,
        fileArgument: file,
        validation: { passed: true, detail: 'validated by the validate stage', loaded: { useCase, workspaceRoot, modelFile: model.path } },
        registry: new LayoutRegistry(localRegistryDir(workspaceRoot)),
        location: { kind: 'local' },
        key: async () => {
          const { key, created } = await signingKeyFor(undefined);
          createdKey = created?.privateKeyFile;
          return key;
        },
        force: false,
        runs: (await options.runs?.()) ?? [],
        now: new Date(),
        available: { profile: stageAvailable(previous, 'profile'), quantize: stageAvailable(previous, 'quantize') },
        decided: decidedByStages(previous),
        ...(replayed ? { replay: replayed } : {}),
        ...(signal ? { signal } : {}),
      });
      for (const g of report.gates) options.log?.(`release gate ${g.name}: ${g.passed ? 'passed' : 'FAILED'}: ${g.detail}`);
      const failed = report.gates.filter((g) => !g.passed);
      if (failed.length > 0) {
        const missingStages = failed.every((g) => g.noEvidence === true && ((g.name === 'budgets' && !stageAvailable(previous, 'profile')) || (g.name === 'sqnr' && !stageAvailable(previous, 'quantize'))));
        const detail = failed.map((g) => `${g.name}: ${g.detail}`).join('; ');
        return missingStages ? { status: 'skipped', detail: `not released, the gates need stages not available yet (${detail})`, report: replaySection } : { status: 'failed', detail: `not released: ${detail}`, report: replaySection };
      }
      const sections: ReportSections = { ...replaySection, release: { reference: report.reference, digest: report.digest, version: report.version, channel: report.channel } };
      const carried = replayed ? `; with the replay of ${replayed.samples} recorded samples (${replayed.capturesPerDay.toFixed(1)} captures/day)` : '';
      if (report.unchanged) return { status: 'passed', detail: `${report.reference} already released with the same content${carried}`, report: sections };
      const key = createdKey ? `; created the signing key ${createdKey}` : '';
      return { status: 'passed', detail: `released ${report.reference} (${report.digest.slice(0, 19)}), channel ${report.channel}${carried}${key}`, report: sections };
    },
  };
}

/** A profile or quantize stage that passed in this run is the evidence for its gate (it fails the run otherwise). */
function decidedByStages(previous: ReadonlyArray<{ readonly name: string; readonly status: string; readonly detail: string }>): Partial<Record<'budgets' | 'sqnr', GateResult>> {
  const passed = (name: string) => previous.find((s) => s.name === name && s.status === 'passed');
  const profile = passed('profile');
  const quantize = passed('quantize');
  return {
    ...(profile ? { budgets: { name: 'budgets', passed: true, detail: `the profile stage of this run passed: ${profile.detail}` } } : {}),
    ...(quantize ? { sqnr: { name: 'sqnr', passed: true, detail: `the quantize stage of this run passed: ${quantize.detail}` } } : {}),
  };
}

function stageAvailable(previous: ReadonlyArray<{ readonly name: string; readonly status: string }>, name: string): boolean {
  const stage = previous.find((s) => s.name === name);
  return stage !== undefined && stage.status !== 'unavailable';
}

/**
 * The closed-loop replay of `dataLoop.data` against the triggers, packed into the release and
 * shown in the report; none when the use case has no triggers or no recorded data.
 */
async function replayRecordings(file: string, useCase: UseCase, fs: StageContext['fs'], signal: AbortSignal | undefined): Promise<ReplaySummary | undefined> {
  const loop = useCase.dataLoop;
  if (!loop?.data || loop.triggers.length === 0) return undefined;
  const result = await replay({ useCaseFile: file, fs, ...(signal ? { signal } : {}) });
  // The data folder relative to the use case: the release's bytes must not depend on where the workspace is.
  return { ...result, data: relative(dirname(file), result.data).split(sep).join('/') };
}

function replayReport(r: ReplaySummary): NonNullable<ReportSections['replay']> {
  return {
    samples: r.samples,
    rate: r.rate,
    hoursPerDay: r.hoursPerDay,
    triggers: r.triggers.map((t) => ({ when: t.when, fired: t.fired, perHour: t.perHour, capturesPerDay: t.capturesPerDay, maxPerDay: t.maxPerDay, uplinkBytesPerDay: t.uplinkBytesPerDay })),
    capturesPerDay: r.capturesPerDay,
    uplinkBytesPerDay: r.uplinkBytesPerDay,
    withinMaxPerDay: r.withinMaxPerDay,
  };
}
