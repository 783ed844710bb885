import { capabilityOfStage, isAvailable, stageNames, type StageName } from '../capabilities/table';
import { inspectStage } from './inspectStage';
import { profileStage } from './profileStage';
import { quantizeStage } from './quantizeStage';
import { unavailableStage, type Pipeline, type PipelineStage } from './pipeline';
import { releaseStage, type ReleaseStageOptions } from './releaseStage';
import { validateStage } from './validateStage';

/** What the caller (the run job) provides to stages: run records as evidence for the release gates. */
export type PipelineOptions = ReleaseStageOptions;

/** The stages that have landed, after `validate` (which loads the use case). */
export const implementedStages: Partial<Record<StageName, (options: PipelineOptions) => PipelineStage>> = {
  inspect: inspectStage,
  quantize: quantizeStage,
  profile: profileStage,
  release: releaseStage,
};

/**
 * The pipeline of `aios run`, in the order of SPEC §3. A stage runs when the capability table
 * says it is available in the pipeline; otherwise it reports `unavailable`.
 */
export function pipelineStages(options: PipelineOptions = {}): Pipeline {
  const stages = stageNames.filter((name) => name !== 'validate').map((name) => {
    const make = implementedStages[name];
    const capability = capabilityOfStage(name);
    return make && capability && isAvailable(capability, 'pipeline') ? make(options) : unavailableStage(name);
  });
  return { loader: validateStage(), stages };
}
