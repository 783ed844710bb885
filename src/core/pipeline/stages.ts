import { unavailableStage, type PipelineStage } from './pipeline';
import { validateStage } from '../usecase/validateStage';
import { inspectStage } from './inspectStage';

/** The stages of `aios run`, in order. Each capability replaces its placeholder when it lands. */
export function pipelineStages(): PipelineStage[] {
  return [validateStage(), inspectStage(), ...['quantize', 'profile', 'release'].map(unavailableStage)];
}
