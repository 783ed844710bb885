import { capabilityOfStage, notAvailableMessage, type StageName } from '../capabilities/table';
import type { FileSystem } from '../fs';
import type { Model } from '../onnx/model';
import type { InspectSummary } from '../onnx/summary';
import type { ReportUseCase } from '../../protocol/runReport';
import type { UseCase } from '../usecase/schema';

/** What a stage adds to its use case's section of the HTML report (charts and figures). */
export type ReportSections = Partial<Pick<ReportUseCase, 'quantize' | 'profile' | 'split' | 'ecu' | 'release' | 'replay' | 'graphPage'>>;

export type StageStatus = 'passed' | 'failed' | 'skipped' | 'unavailable';

export interface StageResult {
  readonly name: StageName;
  readonly status: StageStatus;
  /** One line for humans: a figure, a reason, or why the stage did not run. */
  readonly detail: string;
}

/** The use case's model, resolved inside the workspace (validation checked it exists). */
export interface ResolvedModel {
  /** `model.path` as written in the use case. */
  readonly reference: string;
  /** Absolute path. */
  readonly path: string;
}

/** A use case read and validated once, by the validate stage, for every later stage. */
export interface LoadedUseCase {
  readonly file: string;
  readonly workspaceRoot: string;
  /** Typed, with the schema's defaults applied. */
  readonly useCase: UseCase;
  readonly model: ResolvedModel;
}

/**
 * What stages hand to the ones after them. A stage that lands adds its field here, so later
 * stages read typed results instead of files.
 */
export interface StageArtifacts {
  readonly inspect?: { readonly model: Model; readonly summary: InspectSummary };
}

export interface StageContext extends LoadedUseCase {
  readonly fs: FileSystem;
  readonly signal?: AbortSignal;
  /** Results of the stages that already ran for this use case, in order. */
  readonly previous: readonly StageResult[];
  readonly artifacts: StageArtifacts;
}

export interface StageOutcome {
  readonly status: StageStatus;
  readonly detail: string;
  readonly artifacts?: StageArtifacts;
  /** Figures for the report; merged over the sections of the stages before. */
  readonly report?: ReportSections;
}

export interface PipelineStage {
  readonly name: StageName;
  run(context: StageContext): Promise<StageOutcome>;
}

/** The first stage: reads and validates the use case; the others run only on what it loaded. */
export interface UseCaseLoader {
  readonly name: StageName;
  load(file: string, io: { readonly fs: FileSystem; readonly signal?: AbortSignal }): Promise<{ readonly outcome: StageOutcome; readonly loaded?: LoadedUseCase }>;
}

export interface Pipeline {
  readonly loader: UseCaseLoader;
  readonly stages: readonly PipelineStage[];
}

/** passed: every stage passed; failed: a stage failed; incomplete: none failed, but some could not run. */
export type RunStatus = 'passed' | 'failed' | 'incomplete';

export interface UseCaseRun {
  readonly file: string;
  readonly status: RunStatus;
  readonly stages: readonly StageResult[];
  /** The use case's name and domain, when it could be read. */
  readonly name?: string;
  readonly domain?: string;
  /** The model's absolute path, when the use case could be read. */
  readonly model?: string;
  /** What the stages gave the report (not part of the run's JSON summary). */
  readonly report: ReportSections;
}

export function runStatus(stages: readonly StageResult[]): RunStatus {
  if (stages.some((s) => s.status === 'failed')) return 'failed';
  return stages.every((s) => s.status === 'passed') ? 'passed' : 'incomplete';
}

/** The status of several runs: the worst of them. */
export function overallStatus(runs: readonly { readonly status: RunStatus }[]): RunStatus {
  if (runs.some((r) => r.status === 'failed')) return 'failed';
  return runs.every((r) => r.status === 'passed') ? 'passed' : 'incomplete';
}

/**
 * Runs the pipeline for each use case: the loader reads and validates it once, then every
 * stage gets the typed use case and the artifacts of the stages before it. A failed stage
 * marks the later ones skipped; an unavailable stage does not stop the ones after it.
 */
export async function runPipeline(files: readonly string[], pipeline: Pipeline, fs: FileSystem, signal?: AbortSignal): Promise<UseCaseRun[]> {
  const runs: UseCaseRun[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    const { outcome, loaded } = await pipeline.loader.load(file, { fs, ...(signal ? { signal } : {}) });
    const results: StageResult[] = [{ name: pipeline.loader.name, status: outcome.status, detail: outcome.detail }];
    let artifacts: StageArtifacts = {};
    let report: ReportSections = {};
    for (const stage of pipeline.stages) {
      signal?.throwIfAborted();
      const failedBefore = results.find((r) => r.status === 'failed');
      if (failedBefore || !loaded) {
        results.push({ name: stage.name, status: 'skipped', detail: `${failedBefore?.name ?? pipeline.loader.name} failed` });
        continue;
      }
      const next = await stage.run({ ...loaded, fs, previous: [...results], artifacts, ...(signal ? { signal } : {}) });
      results.push({ name: stage.name, status: next.status, detail: next.detail });
      if (next.artifacts) artifacts = { ...artifacts, ...next.artifacts };
      if (next.report) report = { ...report, ...next.report };
    }
    const named = loaded ? { name: loaded.useCase.name, domain: loaded.useCase.domain, model: loaded.model.path } : {};
    runs.push({ file, status: runStatus(results), stages: results, ...named, report });
  }
  return runs;
}

/** A stage whose capability has not landed yet: reported as such, never as passed. */
export function unavailableStage(name: StageName): PipelineStage {
  const capability = capabilityOfStage(name);
  const detail = capability ? notAvailableMessage(capability) : 'not available yet in this version';
  return { name, run: async () => ({ status: 'unavailable', detail }) };
}
