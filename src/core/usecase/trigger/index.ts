/** dataLoop trigger conditions: parse, check against a model's outputs, evaluate on a run's outputs. */
export { parseTrigger, TriggerSyntaxError, triggerFunctions, type TriggerExpr, type Span } from './parse';
export { checkTrigger, type TriggerOutput, type TriggerProblem } from './check';
export { evaluateTrigger, TriggerEvaluationError, type OutputValues } from './evaluate';
