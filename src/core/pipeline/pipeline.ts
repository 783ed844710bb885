import type { FileSystem } from '../fs';

export type StageStatus = 'passed' | 'failed' | 'skipped' | 'unavailable';

export interface StageResult {
  readonly stage: string;
  readonly status: StageStatus;
  /** One line for humans: a figure, a reason, or why the stage did not run. */
  readonly detail: string;
}

export interface StageContext {
  readonly fs: FileSystem;
  readonly signal?: AbortSignal;
  /** Results of the stages that already ran for this use case, in order. */
  readonly previous: readonly StageResult[];
}

export interface PipelineStage {
  readonly name: string;
  run(useCaseFile: string, context: StageContext): Promise<StageResult>;
}

export interface UseCaseRun {
  readonly file: string;
  readonly stages: readonly StageResult[];
}

/**
 * Runs every stage in order for each use case. A failed stage marks the later ones
 * skipped; an unavailable stage does not stop the ones after it.
 */
export async function runPipeline(
  files: readonly string[],
  stages: readonly PipelineStage[],
  fs: FileSystem,
  signal?: AbortSignal,
): Promise<UseCaseRun[]> {
  const runs: UseCaseRun[] = [];
  for (const file of files) {
    const results: StageResult[] = [];
    for (const stage of stages) {
      signal?.throwIfAborted();
      const failedBefore = results.find((r) => r.status === 'failed');
      results.push(
        failedBefore
          ? { stage: stage.name, status: 'skipped', detail: `${failedBefore.stage} failed` }
          : await stage.run(file, { fs, previous: results, ...(signal ? { signal } : {}) }),
      );
    }
    runs.push({ file, stages: results });
  }
  return runs;
}

/** A stage whose capability has not landed yet: reported as such, never as passed. */
export function unavailableStage(name: string): PipelineStage {
  return {
    name,
    run: async () => ({ stage: name, status: 'unavailable', detail: 'not available yet in this version' }),
  };
}
