import type { Graph, TypeProto } from '../onnx/model';
import type { TensorRow } from '../../protocol/graphRows';
import { dtypeName } from './dtype';

export interface TensorType {
  readonly dtype: string;
  readonly shape: TensorRow['shape'];
}

/** Known type of a tensor name, from declared value infos and initializers. */
export type TensorTypes = ReadonlyMap<string, TensorType>;

function fromTypeProto(type: TypeProto | undefined): TensorType | undefined {
  if (!type || (type.kind !== 'tensor' && type.kind !== 'sparseTensor')) return undefined;
  return {
    dtype: dtypeName(type.elemType),
    shape: type.shape ? type.shape.map((d) => (d === undefined ? null : typeof d === 'number' ? Math.max(0, d) : d)) : null,
  };
}

/**
 * Types declared in the file: graph inputs/outputs, value_info and initializers, on top of
 * the enclosing graph's types (subgraph bodies see outer-scope tensors).
 */
export function declaredTypes(graph: Graph, outer?: TensorTypes): Map<string, TensorType> {
  const types = new Map<string, TensorType>(outer ?? []);
  for (const t of graph.initializers) types.set(t.name, { dtype: dtypeName(t.dataType), shape: [...t.dims] });
  for (const vi of [...graph.valueInfo, ...graph.inputs, ...graph.outputs]) {
    const type = fromTypeProto(vi.type);
    if (type) types.set(vi.name, type);
  }
  return types;
}
