import type { GraphRows } from '../../src/protocol/graphRows';
import { formatShape } from '../shared/format';

/** ONNX input names of common ops, so a weight row reads `W 64×3×3×3`, `axes = [1]`, `min = 0`. */
const inputNames: Readonly<Record<string, readonly string[]>> = {
  Conv: ['X', 'W', 'B'], ConvTranspose: ['X', 'W', 'B'], ConvInteger: ['x', 'w', 'x_zero_point', 'w_zero_point'],
  QLinearConv: ['x', 'x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'y_scale', 'y_zero_point', 'B'],
  Gemm: ['A', 'B', 'C'], MatMul: ['A', 'B'], MatMulInteger: ['A', 'B', 'a_zero_point', 'b_zero_point'],
  BatchNormalization: ['X', 'scale', 'B', 'mean', 'var'], InstanceNormalization: ['input', 'scale', 'B'],
  LayerNormalization: ['X', 'Scale', 'B'], GroupNormalization: ['X', 'scale', 'bias'],
  Add: ['A', 'B'], Sub: ['A', 'B'], Mul: ['A', 'B'], Div: ['A', 'B'], Pow: ['X', 'Y'], PRelu: ['X', 'slope'],
  Reshape: ['data', 'shape'], Expand: ['input', 'shape'], Tile: ['input', 'repeats'], Unsqueeze: ['data', 'axes'], Squeeze: ['data', 'axes'],
  Slice: ['data', 'starts', 'ends', 'axes', 'steps'], Pad: ['data', 'pads', 'constant_value', 'axes'], Clip: ['input', 'min', 'max'],
  Resize: ['X', 'roi', 'scales', 'sizes'], Upsample: ['X', 'scales'], Gather: ['data', 'indices'], GatherElements: ['data', 'indices'],
  Split: ['input', 'split'], TopK: ['X', 'K'], Where: ['condition', 'X', 'Y'], ReduceMean: ['data', 'axes'], ReduceSum: ['data', 'axes'],
  ReduceMax: ['data', 'axes'], ReduceMin: ['data', 'axes'], ConstantOfShape: ['input'], Range: ['start', 'limit', 'delta'],
  QuantizeLinear: ['x', 'y_scale', 'y_zero_point'], DequantizeLinear: ['x', 'x_scale', 'x_zero_point'],
  LSTM: ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'], GRU: ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h'],
  Einsum: [], Concat: [],
};

export interface WeightRow {
  readonly tensor: number;
  /** Input name (`W`, `axes`) or, for ops we do not know, the tensor's short name. */
  readonly label: string;
  /** `= 1`, `= [0, 2]` for small weights, else the shape. */
  readonly text: string;
}

/** Height of an op node's title area (op and name); weight rows go below it. */
export const nodeHeader = 36;

/** Height of one weight row inside a node box. */
export const weightRowHeight = 13;

function shortName(name: string): string {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('::'));
  return cut >= 0 ? name.slice(cut + 1) : name;
}

/** The weight inputs of a node, as drawn inside its box while weight nodes are folded. */
export function weightRows(graph: GraphRows, node: number): WeightRow[] {
  const n = graph.nodes[node]!;
  if (n.kind !== 'op') return [];
  const names = inputNames[n.op];
  const rows: WeightRow[] = [];
  n.inputs.forEach((t, position) => {
    if (t < 0) return;
    const tensor = graph.tensors[t]!;
    if (!tensor.weight) return;
    const label = names?.[position] ?? shortName(tensor.name);
    rows.push({ tensor: t, label, text: tensor.value !== undefined ? `= ${tensor.value}` : formatShape(tensor.shape) });
  });
  return rows;
}
