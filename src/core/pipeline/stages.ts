import { unavailableStage, type PipelineStage } from './pipeline';

/** The stages of `aios run`, in order. Each capability replaces its placeholder when it lands. */
export function pipelineStages(): PipelineStage[] {
  return ['validate', 'inspect', 'quantize', 'profile', 'release'].map(unavailableStage);
}
