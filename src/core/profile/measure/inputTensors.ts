import { DataType, type Graph } from '../../onnx/model';
import { Rng } from '../../onnx/builder/random';
import type { ResolvedInputSizes } from '../../onnx/shape/inputSizes';

/** What onnxruntime-node's Tensor constructor takes: its type name, data and dims. */
export interface InputTensorSpec {
  readonly name: string;
  readonly type: 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';
  readonly data: Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
  readonly dims: readonly number[];
}

export class UnsupportedInputError extends Error {}

/** float32 1.0 as IEEE half: for float16 inputs without a converter. */
const halfOne = 0x3c00;

/**
 * Input values to time a model with, at the resolved sizes: floats uniform in [-1, 1)
 * (seeded, so runs are repeatable), integers 1 (a valid token id, index and mask value for
 * the models we see), booleans true. Timing does not depend on the values for the dense ops
 * that dominate; data-dependent ops (NonZero, TopK on masks) are what they are.
 */
export function inputTensors(graph: Graph, sizes: ResolvedInputSizes, seed = 1): InputTensorSpec[] {
  const rng = new Rng(seed);
  const types = new Map(graph.inputs.map((v) => [v.name, v.type]));
  return sizes.inputs.map((input) => {
    if (!input.dims) throw new UnsupportedInputError(`input '${input.name}' has no known rank: give its sizes (--input ${input.name}=d0,d1,...) or declare them in the use case`);
    const type = types.get(input.name);
    const elem = type?.kind === 'tensor' ? type.elemType : undefined;
    const count = input.dims.reduce((a, b) => a * b, 1);
    const dims = input.dims;
    switch (elem) {
      case DataType.FLOAT:
        return { name: input.name, type: 'float32', data: rng.uniformArray(count, -1, 1), dims };
      case DataType.DOUBLE:
        return { name: input.name, type: 'float64', data: Float64Array.from(rng.uniformArray(count, -1, 1)), dims };
      case DataType.FLOAT16:
        return { name: input.name, type: 'float16', data: new Uint16Array(count).fill(halfOne), dims };
      case DataType.INT8:
        return { name: input.name, type: 'int8', data: new Int8Array(count).fill(1), dims };
      case DataType.UINT8:
        return { name: input.name, type: 'uint8', data: new Uint8Array(count).fill(1), dims };
      case DataType.INT16:
        return { name: input.name, type: 'int16', data: new Int16Array(count).fill(1), dims };
      case DataType.UINT16:
        return { name: input.name, type: 'uint16', data: new Uint16Array(count).fill(1), dims };
      case DataType.INT32:
        return { name: input.name, type: 'int32', data: new Int32Array(count).fill(1), dims };
      case DataType.UINT32:
        return { name: input.name, type: 'uint32', data: new Uint32Array(count).fill(1), dims };
      case DataType.INT64:
        return { name: input.name, type: 'int64', data: new BigInt64Array(count).fill(1n), dims };
      case DataType.UINT64:
        return { name: input.name, type: 'uint64', data: new BigUint64Array(count).fill(1n), dims };
      case DataType.BOOL:
        return { name: input.name, type: 'bool', data: new Uint8Array(count).fill(1), dims };
      default:
        throw new UnsupportedInputError(`input '${input.name}' is of a type the measurement cannot fill (${type?.kind === 'tensor' ? `element type ${String(elem)}` : (type?.kind ?? 'no type')}); only tensors of numbers and booleans can be measured`);
    }
  });
}
