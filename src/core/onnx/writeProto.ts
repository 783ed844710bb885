/**
 * Encodes a Model as an ONNX ModelProto, fields in field-number order like protobuf's own
 * serializers. Tensor payloads are written as raw_data (strings as string_data); external
 * data references are kept as they are.
 */
import {
  DataType,
  type Attribute,
  type FunctionProto,
  type Graph,
  type Model,
  type Node,
  type OperatorSetId,
  type SparseTensor,
  type StringEntry,
  type Tensor,
  type TensorData,
  type TrainingInfo,
  type TypeProto,
  type ValueInfo,
} from './model';
import { Encoder, type PayloadPart } from './writeEncoder';

/** Payloads that had to be read before encoding: unknown length, or string tensors. */
export type Prefetched = ReadonlyMap<TensorData, Uint8Array>;

export function encodeModel(model: Model, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  e.int64Field(1, model.irVersion);
  if (model.producerName !== undefined) e.stringField(2, model.producerName);
  if (model.producerVersion !== undefined) e.stringField(3, model.producerVersion);
  if (model.domain !== undefined) e.stringField(4, model.domain);
  if (model.modelVersion !== undefined) e.int64Field(5, model.modelVersion);
  if (model.docString !== undefined) e.stringField(6, model.docString);
  e.messageField(7, encodeGraph(model.graph, prefetched));
  for (const o of model.opsetImports) e.messageField(8, encodeOpset(o));
  for (const p of model.metadataProps) e.messageField(14, encodeEntry(p));
  for (const t of model.trainingInfo ?? []) e.messageField(20, encodeTrainingInfo(t, prefetched));
  for (const f of model.functions) e.messageField(25, encodeFunction(f, prefetched));
  return e;
}

export function encodeTensorMessage(tensor: Tensor, prefetched: Prefetched): Encoder {
  return encodeTensor(tensor, prefetched);
}

function encodeOpset(o: OperatorSetId): Encoder {
  const e = new Encoder();
  if (o.domain !== '') e.stringField(1, o.domain);
  e.int64Field(2, o.version);
  return e;
}

function encodeEntry(p: StringEntry): Encoder {
  const e = new Encoder();
  e.stringField(1, p.key);
  e.stringField(2, p.value);
  return e;
}

function encodeTrainingInfo(t: TrainingInfo, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  if (t.initialization !== undefined) e.messageField(1, encodeGraph(t.initialization, prefetched));
  if (t.algorithm !== undefined) e.messageField(2, encodeGraph(t.algorithm, prefetched));
  for (const p of t.initializationBinding) e.messageField(3, encodeEntry(p));
  for (const p of t.updateBinding) e.messageField(4, encodeEntry(p));
  return e;
}

function encodeGraph(g: Graph, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  for (const n of g.nodes) e.messageField(1, encodeNode(n, prefetched));
  e.stringField(2, g.name);
  for (const t of g.initializers) e.messageField(5, encodeTensor(t, prefetched));
  if (g.docString !== undefined) e.stringField(10, g.docString);
  for (const v of g.inputs) e.messageField(11, encodeValueInfo(v));
  for (const v of g.outputs) e.messageField(12, encodeValueInfo(v));
  for (const v of g.valueInfo) e.messageField(13, encodeValueInfo(v));
  for (const a of g.quantizationAnnotation ?? []) {
    const m = new Encoder();
    m.stringField(1, a.tensorName);
    for (const p of a.quantParameterTensorNames) m.messageField(2, encodeEntry(p));
    e.messageField(14, m);
  }
  for (const s of g.sparseInitializers) e.messageField(15, encodeSparse(s, prefetched));
  for (const p of g.metadataProps ?? []) e.messageField(16, encodeEntry(p));
  return e;
}

function encodeNode(n: Node, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  for (const i of n.inputs) e.stringField(1, i);
  for (const o of n.outputs) e.stringField(2, o);
  if (n.name !== '') e.stringField(3, n.name);
  e.stringField(4, n.opType);
  for (const a of n.attributes) e.messageField(5, encodeAttribute(a, prefetched));
  if (n.docString !== undefined) e.stringField(6, n.docString);
  if (n.domain !== '') e.stringField(7, n.domain);
  if (n.overload !== undefined) e.stringField(8, n.overload);
  for (const p of n.metadataProps ?? []) e.messageField(9, encodeEntry(p));
  return e;
}

/** AttributeProto.AttributeType numbers. */
const ATTRIBUTE_TYPE: Record<Attribute['value']['type'], number> = {
  undefined: 0,
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
  graphs: 10,
  sparseTensor: 11,
  sparseTensors: 12,
  typeProto: 13,
  typeProtos: 14,
};

function encodeAttribute(a: Attribute, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  e.stringField(1, a.name);
  const v = a.value;
  switch (v.type) {
    case 'float': e.floatField(2, v.value); break;
    case 'int': e.int64Field(3, v.value); break;
    case 'string': e.bytesField(4, v.value); break;
    case 'tensor': e.messageField(5, encodeTensor(v.value, prefetched)); break;
    case 'graph': e.messageField(6, encodeGraph(v.value, prefetched)); break;
    case 'floats': for (const f of v.value) e.floatField(7, f); break;
    case 'ints': for (const i of v.value) e.int64Field(8, i); break;
    case 'strings': for (const s of v.value) e.bytesField(9, s); break;
    case 'tensors': for (const t of v.value) e.messageField(10, encodeTensor(t, prefetched)); break;
    case 'graphs': for (const g of v.value) e.messageField(11, encodeGraph(g, prefetched)); break;
    case 'typeProto': e.messageField(14, encodeType(v.value)); break;
    case 'typeProtos': for (const t of v.value) e.messageField(15, encodeType(t)); break;
    case 'sparseTensor': e.messageField(22, encodeSparse(v.value, prefetched)); break;
    case 'sparseTensors': for (const s of v.value) e.messageField(23, encodeSparse(s, prefetched)); break;
    case 'undefined': break;
  }
  if (a.docString !== undefined) e.stringField(13, a.docString);
  e.intField(20, ATTRIBUTE_TYPE[v.type]);
  if (a.refAttrName !== undefined) e.stringField(21, a.refAttrName);
  return e;
}

function encodeValueInfo(v: ValueInfo): Encoder {
  const e = new Encoder();
  e.stringField(1, v.name);
  if (v.type !== undefined) e.messageField(2, encodeType(v.type));
  if (v.docString !== undefined) e.stringField(3, v.docString);
  for (const p of v.metadataProps ?? []) e.messageField(4, encodeEntry(p));
  return e;
}

function encodeType(t: TypeProto): Encoder {
  const e = new Encoder();
  const inner = new Encoder();
  switch (t.kind) {
    case 'tensor':
    case 'sparseTensor':
      inner.intField(1, t.elemType);
      if (t.shape !== undefined) {
        const shape = new Encoder();
        for (const d of t.shape) {
          const dim = new Encoder();
          if (typeof d === 'number') dim.int64Field(1, BigInt(d));
          else if (typeof d === 'string') dim.stringField(2, d);
          shape.messageField(1, dim);
        }
        inner.messageField(2, shape);
      }
      e.messageField(t.kind === 'tensor' ? 1 : 8, inner);
      break;
    case 'sequence':
      if (t.elemType !== undefined) inner.messageField(1, encodeType(t.elemType));
      e.messageField(4, inner);
      break;
    case 'map':
      inner.intField(1, t.keyType);
      if (t.valueType !== undefined) inner.messageField(2, encodeType(t.valueType));
      e.messageField(5, inner);
      break;
    case 'optional':
      if (t.elemType !== undefined) inner.messageField(1, encodeType(t.elemType));
      e.messageField(9, inner);
      break;
    case 'unknown':
      break;
  }
  return e;
}

function encodeSparse(s: SparseTensor, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  e.messageField(1, encodeTensor(s.values, prefetched));
  e.messageField(2, encodeTensor(s.indices, prefetched));
  for (const d of s.dims) e.int64Field(3, BigInt(d));
  return e;
}

function encodeTensor(t: Tensor, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  for (const d of t.dims) e.int64Field(1, BigInt(d));
  e.intField(2, t.dataType);
  if (t.segment !== undefined) {
    const s = new Encoder();
    s.int64Field(1, t.segment.begin);
    s.int64Field(2, t.segment.end);
    e.messageField(3, s);
  }
  const external = t.data.location === 'external';
  if (!external && t.dataType === DataType.STRING) {
    for (const s of splitStrings(prefetched.get(t.data) ?? new Uint8Array(0))) e.bytesField(6, s);
  }
  if (t.name !== '') e.stringField(8, t.name);
  if (!external && t.dataType !== DataType.STRING) e.payloadField(9, payloadOf(t.data, prefetched));
  if (t.docString !== undefined) e.stringField(12, t.docString);
  if (external) {
    for (const p of t.externalData ?? externalEntries(t.data)) e.messageField(13, encodeEntry(p));
    e.intField(14, 1);
  }
  for (const p of t.metadataProps ?? []) e.messageField(16, encodeEntry(p));
  return e;
}

function payloadOf(data: TensorData, prefetched: Prefetched): PayloadPart {
  const bytes = prefetched.get(data);
  if (bytes !== undefined) return { data, length: bytes.length, bytes };
  if (data.byteLength === undefined) throw new Error('internal: tensor payload of unknown length was not prefetched');
  return { data, length: data.byteLength };
}

function externalEntries(data: TensorData): StringEntry[] {
  return data.externalPath === undefined ? [] : [{ key: 'location', value: data.externalPath }];
}

/** Inverse of the reader's string layout: each string preceded by its uint32 LE length. */
export function splitStrings(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.length; ) {
    const length = view.getUint32(at, true);
    out.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

/** Every tensor in the model, subgraphs and functions included. */
export function* allTensors(model: Model): Generator<Tensor> {
  yield* graphTensors(model.graph);
  for (const t of model.trainingInfo ?? []) {
    if (t.initialization !== undefined) yield* graphTensors(t.initialization);
    if (t.algorithm !== undefined) yield* graphTensors(t.algorithm);
  }
  for (const f of model.functions) {
    for (const n of f.nodes) yield* nodeTensors(n);
    for (const a of f.attributeProtos) yield* attributeTensors(a);
  }
}

function* graphTensors(g: Graph): Generator<Tensor> {
  yield* g.initializers;
  for (const s of g.sparseInitializers) yield* [s.values, s.indices];
  for (const n of g.nodes) yield* nodeTensors(n);
}

function* nodeTensors(n: Node): Generator<Tensor> {
  for (const a of n.attributes) yield* attributeTensors(a);
}

function* attributeTensors(a: Attribute): Generator<Tensor> {
  const v = a.value;
  switch (v.type) {
    case 'tensor': yield v.value; break;
    case 'tensors': yield* v.value; break;
    case 'sparseTensor': yield* [v.value.values, v.value.indices]; break;
    case 'sparseTensors': for (const s of v.value) yield* [s.values, s.indices]; break;
    case 'graph': yield* graphTensors(v.value); break;
    case 'graphs': for (const g of v.value) yield* graphTensors(g); break;
    default:
  }
}

function encodeFunction(f: FunctionProto, prefetched: Prefetched): Encoder {
  const e = new Encoder();
  e.stringField(1, f.name);
  for (const i of f.inputs) e.stringField(4, i);
  for (const o of f.outputs) e.stringField(5, o);
  for (const a of f.attributes) e.stringField(6, a);
  for (const n of f.nodes) e.messageField(7, encodeNode(n, prefetched));
  if (f.docString !== undefined) e.stringField(8, f.docString);
  for (const o of f.opsetImports) e.messageField(9, encodeOpset(o));
  e.stringField(10, f.domain);
  for (const a of f.attributeProtos) e.messageField(11, encodeAttribute(a, prefetched));
  for (const v of f.valueInfo) e.messageField(12, encodeValueInfo(v));
  if (f.overload !== undefined) e.stringField(13, f.overload);
  for (const p of f.metadataProps ?? []) e.messageField(14, encodeEntry(p));
  return e;
}
