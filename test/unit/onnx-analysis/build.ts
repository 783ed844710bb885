/** Compact hand-built models for the analysis tests (the shared builder covers whole fixtures). */
import { DataType, type Attribute, type AttributeValue, type Dim, type Graph, type Model, type Node, type Tensor, type ValueInfo } from '../../../src/core/onnx/model';

export function tensor(name: string, dataType: DataType, dims: readonly number[], values?: readonly number[]): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = values ?? new Array<number>(n).fill(0).map((_, i) => (i % 7) - 3);
  const width = dataType === DataType.INT64 || dataType === DataType.DOUBLE ? 8 : dataType === DataType.FLOAT16 ? 2 : dataType === DataType.INT8 || dataType === DataType.UINT8 || dataType === DataType.BOOL ? 1 : dataType === DataType.INT4 || dataType === DataType.UINT4 ? 0.5 : 4;
  const bytes = new Uint8Array(Math.ceil(n * width));
  const view = new DataView(bytes.buffer);
  if (width >= 1) {
    data.forEach((v, i) => {
      if (dataType === DataType.INT64) view.setBigInt64(i * 8, BigInt(Math.trunc(v)), true);
      else if (dataType === DataType.INT32) view.setInt32(i * 4, v, true);
      else if (dataType === DataType.FLOAT) view.setFloat32(i * 4, v, true);
      else if (dataType === DataType.DOUBLE) view.setFloat64(i * 8, v, true);
      else if (width === 1) view.setInt8(i, v);
    });
  }
  return { name, dataType, dims, data: { byteLength: bytes.length, location: 'inline', read: async () => bytes } };
}

export const i64 = (name: string, values: readonly number[], dims: readonly number[] = [values.length]) => tensor(name, DataType.INT64, dims, values);
export const f32 = (name: string, dims: readonly number[], values?: readonly number[]) => tensor(name, DataType.FLOAT, dims, values);

export const a = {
  int: (value: number): AttributeValue => ({ type: 'int', value: BigInt(value) }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value: value.map((v) => BigInt(v)) }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  floats: (value: readonly number[]): AttributeValue => ({ type: 'floats', value }),
  str: (value: string): AttributeValue => ({ type: 'string', value: new TextEncoder().encode(value) }),
  graph: (value: Graph): AttributeValue => ({ type: 'graph', value }),
  tensor: (value: Tensor): AttributeValue => ({ type: 'tensor', value }),
};

export function node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, AttributeValue> = {}, extra: { name?: string; domain?: string } = {}): Node {
  const attributes: Attribute[] = Object.entries(attrs).map(([name, value]) => ({ name, value }));
  return { name: extra.name ?? '', opType, domain: extra.domain ?? '', inputs, outputs, attributes };
}

export type IoSpec = readonly [name: string, dtype: DataType, shape?: readonly Dim[]];

export function valueInfo([name, dtype, shape]: IoSpec): ValueInfo {
  return { name, type: { kind: 'tensor', elemType: dtype, ...(shape ? { shape } : {}) } };
}

export function graph(spec: { nodes: readonly Node[]; inputs?: readonly IoSpec[]; outputs?: readonly IoSpec[]; initializers?: readonly Tensor[]; valueInfo?: readonly IoSpec[]; name?: string }): Graph {
  return {
    name: spec.name ?? 'g',
    nodes: spec.nodes,
    initializers: spec.initializers ?? [],
    sparseInitializers: [],
    inputs: (spec.inputs ?? []).map(valueInfo),
    outputs: (spec.outputs ?? []).map(valueInfo),
    valueInfo: (spec.valueInfo ?? []).map(valueInfo),
  };
}

export function model(g: Graph, opset = 17, extra: Record<string, number> = {}): Model {
  return {
    irVersion: 8n,
    opsetImports: [{ domain: '', version: BigInt(opset) }, ...Object.entries(extra).map(([domain, v]) => ({ domain, version: BigInt(v) }))],
    graph: g,
    metadataProps: [],
    functions: [],
  };
}
