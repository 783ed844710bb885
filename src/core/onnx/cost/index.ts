export { modelCost, modelCostTotals, nodeCost, weightTotals } from './cost';
export type { ModelCost, ModelCostTotals, NodeCost, NodeCostEntry } from './cost';
