import type { DataType, Dim, Graph, TypeProto } from '../onnx/model';
import { dtypeName } from '../onnx/shape/dtypes';
import type { ShapeInferenceResult } from '../onnx/shape/types';
import type { TensorRow } from '../../protocol/graphRows';

export interface TensorType {
  readonly dtype: string;
  readonly shape: TensorRow['shape'];
}

/** Known type of a tensor name. */
export type TensorTypes = ReadonlyMap<string, TensorType>;

/** Display form: '' for an unknown element type, `null` for unknown dims. */
export function tensorType(dtype: DataType | undefined, shape: readonly Dim[] | undefined): TensorType {
  return {
    dtype: dtype === undefined || dtype === 0 ? '' : dtypeName(dtype),
    shape: shape ? shape.map((d) => (d === undefined ? null : typeof d === 'number' ? Math.max(0, d) : d)) : null,
  };
}

function fromTypeProto(type: TypeProto | undefined): TensorType | undefined {
  if (!type || (type.kind !== 'tensor' && type.kind !== 'sparseTensor')) return undefined;
  return tensorType(type.elemType, type.shape);
}

/**
 * Types declared in the file (graph inputs/outputs, value_info, initializers) on top of the
 * enclosing graph's types: the fallback when shape inference knows nothing about a tensor.
 */
export function declaredTypes(graph: Graph, outer?: TensorTypes): Map<string, TensorType> {
  const types = new Map<string, TensorType>(outer ?? []);
  for (const t of graph.initializers) types.set(t.name, tensorType(t.dataType, t.dims));
  for (const vi of [...graph.valueInfo, ...graph.inputs, ...graph.outputs]) {
    const type = fromTypeProto(vi.type);
    if (type) types.set(vi.name, type);
  }
  return types;
}

/** Inferred types (shape inference covers every graph of the model), in display form. */
export function inferredTypes(shapes: ShapeInferenceResult): (name: string) => TensorType | undefined {
  const cache = new Map<string, TensorType>();
  return (name) => {
    let type = cache.get(name);
    if (type === undefined) {
      const info = shapes.tensors.get(name);
      if (!info || info.container !== undefined) return undefined;
      type = tensorType(info.dtype, info.shape);
      cache.set(name, type);
    }
    return type;
  };
}
