export { replay, prepareReplay, ReplayInputError, type ReplayOptions, type ReplayPlan } from './replay';
export { replayResultSchema, triggerReplaySchema, type ReplayResult, type TriggerReplay } from './result';
