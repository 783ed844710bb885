/** Rebuilding a model with some tensors replaced, everywhere tensors occur. */
import type { Attribute, FunctionProto, Graph, Model, Node, SparseTensor, Tensor } from './model';

export type TensorMap = (tensor: Tensor) => Tensor;

/** A copy of `model` in which every tensor (initializers, attributes, subgraphs, functions) is `map(tensor)`. */
export function mapModelTensors(model: Model, map: TensorMap): Model {
  const out: Model = { ...model, graph: mapGraph(model.graph, map), functions: model.functions.map((f) => mapFunction(f, map)) };
  if (model.trainingInfo === undefined) return out;
  return {
    ...out,
    trainingInfo: model.trainingInfo.map((t) => ({
      ...t,
      ...(t.initialization === undefined ? {} : { initialization: mapGraph(t.initialization, map) }),
      ...(t.algorithm === undefined ? {} : { algorithm: mapGraph(t.algorithm, map) }),
    })),
  };
}

function mapGraph(g: Graph, map: TensorMap): Graph {
  return {
    ...g,
    nodes: g.nodes.map((n) => mapNode(n, map)),
    initializers: g.initializers.map(map),
    sparseInitializers: g.sparseInitializers.map((s) => mapSparse(s, map)),
  };
}

function mapFunction(f: FunctionProto, map: TensorMap): FunctionProto {
  return { ...f, nodes: f.nodes.map((n) => mapNode(n, map)), attributeProtos: f.attributeProtos.map((a) => mapAttribute(a, map)) };
}

function mapNode(n: Node, map: TensorMap): Node {
  return n.attributes.length === 0 ? n : { ...n, attributes: n.attributes.map((a) => mapAttribute(a, map)) };
}

function mapSparse(s: SparseTensor, map: TensorMap): SparseTensor {
  return { ...s, values: map(s.values), indices: map(s.indices) };
}

function mapAttribute(a: Attribute, map: TensorMap): Attribute {
  const v = a.value;
  switch (v.type) {
    case 'tensor': return { ...a, value: { type: 'tensor', value: map(v.value) } };
    case 'tensors': return { ...a, value: { type: 'tensors', value: v.value.map(map) } };
    case 'sparseTensor': return { ...a, value: { type: 'sparseTensor', value: mapSparse(v.value, map) } };
    case 'sparseTensors': return { ...a, value: { type: 'sparseTensors', value: v.value.map((s) => mapSparse(s, map)) } };
    case 'graph': return { ...a, value: { type: 'graph', value: mapGraph(v.value, map) } };
    case 'graphs': return { ...a, value: { type: 'graphs', value: v.value.map((g) => mapGraph(g, map)) } };
    default: return a;
  }
}
