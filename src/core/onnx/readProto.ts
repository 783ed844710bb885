/**
 * Decodes an ONNX ModelProto (IR 10, field numbers of onnx.proto) from a Cursor into the
 * in-memory Model. Tensor payload fields are not read: their byte ranges are recorded and
 * handed to lazy TensorData objects.
 */
import {
  DataType,
  type Attribute,
  type AttributeValue,
  type Dim,
  type FunctionProto,
  type Graph,
  type Model,
  type Node,
  type OperatorSetId,
  type SparseTensor,
  type StringEntry,
  type Tensor,
  type TensorAnnotation,
  type TensorData,
  type TrainingInfo,
  type TypeProto,
  type ValueInfo,
} from './model';
import { Cursor, WireError } from './proto/cursor';
import { ExternalDataError, OnnxFormatError } from './readErrors';
import { byteSize } from './shape/dtypes';
import { ExternalTensorData, parseExternalReference } from './readExternalData';
import { InlineTensorData, type PayloadField, type PayloadSegment, type PayloadSource } from './readTensorData';
import { SmallPayloads } from './readSmallPayloads';

// Wire types as plain numbers (a const enum import becomes a property lookup per use in the test build).
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/**
 * Nested messages deeper than this are refused: a guard for the parser's own stack (types of
 * types, attributes of graphs of nodes...). Real models stay far below it.
 */
export const MAX_MESSAGE_DEPTH = 400;
/** Graphs nested deeper than this (If/Loop/Scan bodies inside bodies) are refused; counted in graphs, not messages. */
export const MAX_GRAPH_DEPTH = 64;

export interface ParseOptions {
  /** Folder external data is resolved against; undefined when the model came from memory. */
  readonly modelDir: string | undefined;
  /** File name for error messages. */
  readonly file: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** Copy small payloads while parsing (a file source: reading them later costs a file access each). */
  readonly copySmallPayloads?: boolean;
}

const FIELD_OF_TENSOR_DATA: Record<number, PayloadField> = {
  4: 'float',
  5: 'int32',
  6: 'string',
  7: 'int64',
  9: 'raw',
  10: 'double',
  11: 'uint64',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Which data field wins when a tensor has several (raw_data first, as protobuf readers do). */
const PAYLOAD_PRIORITY: readonly PayloadField[] = ['raw', 'float', 'int32', 'string', 'int64', 'double', 'uint64'];
const NO_SEGMENTS: readonly PayloadSegment[] = [];

/** A copy of `value` without its undefined properties (optional fields stay absent, not undefined). */
function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/**
 * `list` without spare capacity: arrays grown by push keep room for 17+ items, which for the
 * inputs, outputs and dims of a million nodes is most of the model's memory.
 */
function fit<T>(list: T[]): T[] {
  return list.length === 0 ? (NONE as unknown as T[]) : list.slice();
}
/** One shared empty list (frozen: the model's lists are read-only). */
const NONE: readonly never[] = Object.freeze([]);

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export class ModelParser {
  /** Tensor dims are element counts: negative ones (or a product past 2^53) are nonsense, not a size. */
  private checkDims(dims: readonly number[]): void {
    let count = 1;
    for (const d of dims) {
      if (!Number.isSafeInteger(d) || d < 0) throw this.error(`tensor dimension ${d} is not a non-negative count`);
      count *= d;
    }
    if (!Number.isSafeInteger(count)) throw this.error(`tensor dimensions ${dims.join('×')} hold more than 2^53 elements`);
  }

  private readonly pathNames: string[] = [];
  private readonly pathIndexes: number[] = [];
  private depth = 0;
  private sinceAbortCheck = 0;
  // Parsers of nested messages, bound once (no closure per field).
  private readonly pAnnotation = (end: number) => this.annotation(end);
  private readonly pAttribute = (end: number) => this.attribute(end);
  private readonly pDim = (end: number) => this.dim(end);
  private readonly pEntry = (end: number) => this.entry(end);
  private readonly pFunction = (end: number) => this.function(end);
  private graphDepth = 0;
  private readonly pGraph = (end: number) => {
    if (++this.graphDepth > MAX_GRAPH_DEPTH) throw this.error(`graphs nested deeper than ${MAX_GRAPH_DEPTH} levels (If/Loop/Scan bodies inside bodies)`);
    const graph = this.graph(end);
    this.graphDepth--;
    return graph;
  };
  private readonly pMapType = (end: number) => this.mapType(end);
  private readonly pNode = (end: number) => this.node(end);
  private readonly pOpset = (end: number) => this.opset(end);
  private readonly pShape = (end: number) => this.shape(end);
  private readonly pSparseTensor = (end: number) => this.sparseTensor(end);
  private readonly pTensor = (end: number) => this.tensor(end);
  private readonly pTensorSegment = (end: number) => this.tensorSegment(end);
  private readonly pTrainingInfo = (end: number) => this.trainingInfo(end);
  private readonly pType = (end: number) => this.type(end);
  private readonly pValueInfo = (end: number) => this.valueInfo(end);
  private readonly pTensorType = (end: number) => this.tensorType(end, 'tensor');
  private readonly pSparseTensorType = (end: number) => this.tensorType(end, 'sparseTensor');
  private readonly pSequenceType = (end: number): TypeProto => ({ kind: 'sequence', ...optional('elemType', this.innerType(end)) });
  private readonly pOptionalType = (end: number): TypeProto => ({ kind: 'optional', ...optional('elemType', this.innerType(end)) });

  private readonly payloadScratch = new Map<PayloadField, PayloadSegment[]>();
  private readonly smallPayloads: SmallPayloads | undefined;
  private readonly names = new Map<string, string>();
  private readonly pWindowBytes = (offset: number, length: number) => this.c.bytesInWindow(offset, length);
  /** External locations seen, for the caller to check against the file system. */
  readonly externalLocations = new Set<string>();

  constructor(
    private readonly c: Cursor,
    private readonly payloads: PayloadSource,
    private readonly options: ParseOptions,
  ) {
    this.smallPayloads = options.copySmallPayloads ? new SmallPayloads(payloads.description) : undefined;
  }

  parseModel(): Model {
    try {
      return this.guard(() => this.model(this.c.size));
    } finally {
      this.names.clear();
    }
  }

  parseTensor(): Tensor {
    return this.guard(() => this.tensor(this.c.size));
  }

  private guard<T>(parse: () => T): T {
    try {
      return parse();
    } catch (e) {
      if (e instanceof WireError) throw this.error(e.message, e.offset);
      if (e instanceof RangeError) throw this.error(`cannot decode: ${e.message}`, this.c.pos);
      throw e;
    }
  }

  private error(problem: string, offset: number | undefined = this.c.pos): OnnxFormatError {
    return new OnnxFormatError(problem, offset, this.fieldPath(), this.options.file);
  }

  private fieldPath(): string {
    return this.pathNames.map((name, k) => (this.pathIndexes[k]! >= 0 ? `${name}[${this.pathIndexes[k]}]` : name)).join('.');
  }

  // ---- primitives -------------------------------------------------------------------------

  /** Reads a field tag: field number `tag >>> 3`, wire type `tag & 7`. */
  private tag(end: number): number {
    const at = this.c.pos;
    const tag = this.c.varint();
    if (tag < 8 || tag > 0xffffffff) throw this.error(`invalid field tag ${tag}`, at);
    if (this.c.pos > end) throw this.error('field tag runs past the end of its message', at);
    return tag;
  }

  private expectWire(wire: number, expected: number, field: number): void {
    if (wire !== expected) throw this.error(`field ${field} has wire type ${wire}, expected ${expected}`);
  }

  /**
   * A tensor or op name, one string object per distinct name: a node input is the same string
   * as its producer's output, so a million-node model keeps each name once and every Map keyed
   * by names hashes each once.
   */
  private name(wire: number, field: number, end: number): string {
    const s = this.str(wire, field, end);
    const known = this.names.get(s);
    if (known !== undefined) return known;
    this.names.set(s, s);
    return s;
  }

  private str(wire: number, field: number, end: number): string {
    this.expectWire(wire, LENGTH_DELIMITED, field);
    return this.c.string(this.c.length(end));
  }

  private bytes(wire: number, field: number, end: number): Uint8Array {
    this.expectWire(wire, LENGTH_DELIMITED, field);
    return this.c.bytes(this.c.length(end));
  }

  private int(wire: number, field: number, end: number): number {
    this.expectWire(wire, VARINT, field);
    const value = this.c.varint();
    if (this.c.pos > end) throw this.error(`field ${field} runs past the end of its message`);
    return value;
  }

  private int64(wire: number, field: number, end: number): bigint {
    this.expectWire(wire, VARINT, field);
    const value = this.c.int64();
    if (this.c.pos > end) throw this.error(`field ${field} runs past the end of its message`);
    return value;
  }

  private float(wire: number, field: number, end: number): number {
    this.expectWire(wire, FIXED32, field);
    this.c.checkRoom(4, end);
    return this.c.fixed32Float();
  }

  /** Repeated int64, packed or not. */
  private int64s(wire: number, field: number, end: number, into: bigint[]): void {
    if (wire === LENGTH_DELIMITED) {
      const stop = this.c.pos + this.c.length(end);
      while (this.c.pos < stop) into.push(this.c.int64());
      if (this.c.pos !== stop) throw this.error(`packed field ${field} has a varint crossing its end`);
    } else into.push(this.int64(wire, field, end));
  }

  private dims(wire: number, field: number, end: number, into: number[]): void {
    if (wire === LENGTH_DELIMITED) {
      const stop = this.c.pos + this.c.length(end);
      while (this.c.pos < stop) into.push(this.c.varint());
      if (this.c.pos !== stop) throw this.error(`packed field ${field} has a varint crossing its end`);
    } else into.push(this.int(wire, field, end));
  }

  private floats(wire: number, field: number, end: number, into: number[]): void {
    if (wire === LENGTH_DELIMITED) {
      const length = this.c.length(end);
      if (length % 4 !== 0) throw this.error(`packed float field ${field} is ${length} bytes, not a multiple of 4`);
      for (let k = 0; k < length; k += 4) into.push(this.c.fixed32Float());
    } else into.push(this.float(wire, field, end));
  }

  private skip(wire: number, end: number): void {
    if (wire === START_GROUP || wire === END_GROUP) throw this.error(`unsupported wire type ${wire} (groups)`);
    if (wire > FIXED32) throw this.error(`invalid wire type ${wire}`);
    this.c.skipValue(wire, end);
    if (this.c.pos > end) throw this.error('field runs past the end of its message');
  }

  /** Parses a nested message field; `name` and `index` (-1 for none) extend the field path for errors. */
  private sub<T>(wire: number, field: number, end: number, name: string, index: number, parse: (end: number) => T): T {
    this.pathNames.push(name);
    this.pathIndexes.push(index);
    this.expectWire(wire, LENGTH_DELIMITED, field);
    const length = this.c.length(end);
    const stop = this.c.pos + length;
    if (++this.depth > MAX_MESSAGE_DEPTH) throw this.error(`messages nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
    const value = parse(stop);
    if (this.c.pos !== stop) throw this.error(`message ends at byte ${this.c.pos}, expected ${stop}`);
    this.depth--;
    this.pathNames.pop();
    this.pathIndexes.pop();
    return value;
  }

  private checkAbort(): void {
    if (++this.sinceAbortCheck >= 4096) {
      this.sinceAbortCheck = 0;
      this.options.signal?.throwIfAborted();
    }
  }

  // ---- messages ---------------------------------------------------------------------------

  private model(end: number): Model {
    let irVersion = 0n;
    const opsetImports: OperatorSetId[] = [];
    let producerName: string | undefined;
    let producerVersion: string | undefined;
    let domain: string | undefined;
    let modelVersion: bigint | undefined;
    let docString: string | undefined;
    let graph: Graph | undefined;
    const metadataProps: StringEntry[] = [];
    const trainingInfo: TrainingInfo[] = [];
    const functions: FunctionProto[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: irVersion = this.int64(wire, field, end); break;
        case 2: producerName = this.str(wire, field, end); break;
        case 3: producerVersion = this.str(wire, field, end); break;
        case 4: domain = this.str(wire, field, end); break;
        case 5: modelVersion = this.int64(wire, field, end); break;
        case 6: docString = this.str(wire, field, end); break;
        case 7: graph = this.sub(wire, field, end, 'graph', -1, this.pGraph); break;
        case 8: opsetImports.push(this.sub(wire, field, end, 'opset_import', opsetImports.length, this.pOpset)); break;
        case 14: metadataProps.push(this.sub(wire, field, end, 'metadata_props', metadataProps.length, this.pEntry)); break;
        case 20: trainingInfo.push(this.sub(wire, field, end, 'training_info', trainingInfo.length, this.pTrainingInfo)); break;
        case 25: functions.push(this.sub(wire, field, end, 'functions', functions.length, this.pFunction)); break;
        default: this.skip(wire, end);
      }
    }
    if (graph === undefined) {
      throw this.error('no graph (ModelProto field 7) found: this is not an ONNX model, or it is empty', undefined);
    }
    return defined({
      irVersion,
      opsetImports,
      producerName,
      producerVersion,
      domain,
      modelVersion,
      docString,
      graph,
      metadataProps,
      functions,
      trainingInfo: trainingInfo.length > 0 ? trainingInfo : undefined,
    });
  }

  private function(end: number): FunctionProto {
    let name = '';
    let domain = '';
    let overload: string | undefined;
    const inputs: string[] = [];
    const outputs: string[] = [];
    const attributes: string[] = [];
    const attributeProtos: Attribute[] = [];
    const nodes: Node[] = [];
    const opsetImports: OperatorSetId[] = [];
    const valueInfo: ValueInfo[] = [];
    let docString: string | undefined;
    const metadataProps: StringEntry[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: name = this.str(wire, field, end); break;
        case 4: inputs.push(this.str(wire, field, end)); break;
        case 5: outputs.push(this.str(wire, field, end)); break;
        case 6: attributes.push(this.str(wire, field, end)); break;
        case 7: nodes.push(this.sub(wire, field, end, 'node', nodes.length, this.pNode)); break;
        case 8: docString = this.str(wire, field, end); break;
        case 9: opsetImports.push(this.sub(wire, field, end, 'opset_import', opsetImports.length, this.pOpset)); break;
        case 10: domain = this.str(wire, field, end); break;
        case 11: attributeProtos.push(this.sub(wire, field, end, 'attribute_proto', attributeProtos.length, this.pAttribute)); break;
        case 12: valueInfo.push(this.sub(wire, field, end, 'value_info', valueInfo.length, this.pValueInfo)); break;
        case 13: overload = this.str(wire, field, end); break;
        case 14: metadataProps.push(this.sub(wire, field, end, 'metadata_props', metadataProps.length, this.pEntry)); break;
        default: this.skip(wire, end);
      }
    }
    return defined({
      name,
      domain,
      overload,
      inputs,
      outputs,
      attributes,
      attributeProtos,
      nodes,
      opsetImports,
      valueInfo,
      docString,
      metadataProps: metadataProps.length > 0 ? metadataProps : undefined,
    });
  }

  private opset(end: number): OperatorSetId {
    let domain = '';
    let version = 0n;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) domain = this.str(wire, field, end);
      else if (field === 2) version = this.int64(wire, field, end);
      else this.skip(wire, end);
    }
    return { domain, version };
  }

  private entry(end: number): StringEntry {
    let key = '';
    let value = '';
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) key = this.str(wire, field, end);
      else if (field === 2) value = this.str(wire, field, end);
      else this.skip(wire, end);
    }
    return { key, value };
  }

  private trainingInfo(end: number): TrainingInfo {
    let initialization: Graph | undefined;
    let algorithm: Graph | undefined;
    const initializationBinding: StringEntry[] = [];
    const updateBinding: StringEntry[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: initialization = this.sub(wire, field, end, 'initialization', -1, this.pGraph); break;
        case 2: algorithm = this.sub(wire, field, end, 'algorithm', -1, this.pGraph); break;
        case 3: initializationBinding.push(this.sub(wire, field, end, 'initialization_binding', initializationBinding.length, this.pEntry)); break;
        case 4: updateBinding.push(this.sub(wire, field, end, 'update_binding', updateBinding.length, this.pEntry)); break;
        default: this.skip(wire, end);
      }
    }
    return defined({ initialization, algorithm, initializationBinding, updateBinding });
  }

  private graph(end: number): Graph {
    let name = '';
    const nodes: Node[] = [];
    const initializers: Tensor[] = [];
    const sparseInitializers: SparseTensor[] = [];
    const inputs: ValueInfo[] = [];
    const outputs: ValueInfo[] = [];
    const valueInfo: ValueInfo[] = [];
    const quantizationAnnotation: TensorAnnotation[] = [];
    const metadataProps: StringEntry[] = [];
    let docString: string | undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: nodes.push(this.sub(wire, field, end, 'node', nodes.length, this.pNode)); break;
        case 2: name = this.str(wire, field, end); break;
        case 5: initializers.push(this.sub(wire, field, end, 'initializer', initializers.length, this.pTensor)); break;
        case 10: docString = this.str(wire, field, end); break;
        case 11: inputs.push(this.sub(wire, field, end, 'input', inputs.length, this.pValueInfo)); break;
        case 12: outputs.push(this.sub(wire, field, end, 'output', outputs.length, this.pValueInfo)); break;
        case 13: valueInfo.push(this.sub(wire, field, end, 'value_info', valueInfo.length, this.pValueInfo)); break;
        case 14: quantizationAnnotation.push(this.sub(wire, field, end, 'quantization_annotation', quantizationAnnotation.length, this.pAnnotation)); break;
        case 15: sparseInitializers.push(this.sub(wire, field, end, 'sparse_initializer', sparseInitializers.length, this.pSparseTensor)); break;
        case 16: metadataProps.push(this.sub(wire, field, end, 'metadata_props', metadataProps.length, this.pEntry)); break;
        default: this.skip(wire, end);
      }
    }
    return defined({
      name,
      nodes,
      initializers,
      sparseInitializers,
      inputs,
      outputs,
      valueInfo,
      docString,
      metadataProps: metadataProps.length > 0 ? metadataProps : undefined,
      quantizationAnnotation: quantizationAnnotation.length > 0 ? quantizationAnnotation : undefined,
    });
  }

  private annotation(end: number): TensorAnnotation {
    let tensorName = '';
    const quantParameterTensorNames: StringEntry[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) tensorName = this.str(wire, field, end);
      else if (field === 2) quantParameterTensorNames.push(this.sub(wire, field, end, 'quant_parameter_tensor_names', quantParameterTensorNames.length, this.pEntry));
      else this.skip(wire, end);
    }
    return { tensorName, quantParameterTensorNames };
  }

  private node(end: number): Node {
    this.checkAbort();
    const inputs: string[] = [];
    const outputs: string[] = [];
    let name = '';
    let opType = '';
    let domain = '';
    let overload: string | undefined;
    const attributes: Attribute[] = [];
    let docString: string | undefined;
    let metadataProps: StringEntry[] | undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: inputs.push(this.name(wire, field, end)); break;
        case 2: outputs.push(this.name(wire, field, end)); break;
        case 3: name = this.str(wire, field, end); break;
        case 4: opType = this.name(wire, field, end); break;
        case 5: attributes.push(this.sub(wire, field, end, 'attribute', attributes.length, this.pAttribute)); break;
        case 6: docString = this.str(wire, field, end); break;
        case 7: domain = this.name(wire, field, end); break;
        case 8: overload = this.str(wire, field, end); break;
        case 9: metadataProps = this.pushEntry(wire, field, end, metadataProps); break;
        default: this.skip(wire, end);
      }
    }
    // Optional fields are added only when present (objects keep one shape per combination).
    const node: Mutable<Node> = { name, opType, domain, inputs: fit(inputs), outputs: fit(outputs), attributes: fit(attributes) };
    if (overload !== undefined) node.overload = overload;
    if (docString !== undefined) node.docString = docString;
    if (metadataProps !== undefined) node.metadataProps = metadataProps;
    return node;
  }

  /** Appends a StringStringEntryProto field to a list created on first use. */
  private pushEntry(wire: number, field: number, end: number, list: StringEntry[] | undefined): StringEntry[] {
    const entries = list ?? [];
    entries.push(this.sub(wire, field, end, field === 13 ? 'external_data' : 'metadata_props', entries.length, this.pEntry));
    return entries;
  }

  private attribute(end: number): Attribute {
    let name = '';
    let refAttrName: string | undefined;
    let docString: string | undefined;
    let type: number | undefined;
    let f: number | undefined;
    let i: bigint | undefined;
    let s: Uint8Array | undefined;
    let t: Tensor | undefined;
    let g: Graph | undefined;
    let sparse: SparseTensor | undefined;
    let tp: TypeProto | undefined;
    const floats: number[] = [];
    const ints: bigint[] = [];
    const strings: Uint8Array[] = [];
    const tensors: Tensor[] = [];
    const graphs: Graph[] = [];
    const sparseTensors: SparseTensor[] = [];
    const typeProtos: TypeProto[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: name = this.name(wire, field, end); break;
        case 2: f = this.float(wire, field, end); break;
        case 3: i = this.int64(wire, field, end); break;
        case 4: s = this.bytes(wire, field, end); break;
        case 5: t = this.sub(wire, field, end, 't', -1, this.pTensor); break;
        case 6: g = this.sub(wire, field, end, 'g', -1, this.pGraph); break;
        case 7: this.floats(wire, field, end, floats); break;
        case 8: this.int64s(wire, field, end, ints); break;
        case 9: strings.push(this.bytes(wire, field, end)); break;
        case 10: tensors.push(this.sub(wire, field, end, 'tensors', tensors.length, this.pTensor)); break;
        case 11: graphs.push(this.sub(wire, field, end, 'graphs', graphs.length, this.pGraph)); break;
        case 13: docString = this.str(wire, field, end); break;
        case 14: tp = this.sub(wire, field, end, 'tp', -1, this.pType); break;
        case 15: typeProtos.push(this.sub(wire, field, end, 'type_protos', typeProtos.length, this.pType)); break;
        case 20: type = this.int(wire, field, end); break;
        case 21: refAttrName = this.str(wire, field, end); break;
        case 22: sparse = this.sub(wire, field, end, 'sparse_tensor', -1, this.pSparseTensor); break;
        case 23: sparseTensors.push(this.sub(wire, field, end, 'sparse_tensors', sparseTensors.length, this.pSparseTensor)); break;
        default: this.skip(wire, end);
      }
    }
    const value = ((): AttributeValue => {
      switch (type ?? inferAttributeType()) {
        case 1: return { type: 'float', value: f ?? 0 };
        case 2: return { type: 'int', value: i ?? 0n };
        case 3: return { type: 'string', value: s ?? new Uint8Array(0) };
        case 4:
          if (t === undefined) throw this.error(`attribute "${name}" of type TENSOR has no tensor (field t)`, undefined);
          return { type: 'tensor', value: t };
        case 5:
          if (g === undefined) throw this.error(`attribute "${name}" of type GRAPH has no graph (field g)`, undefined);
          return { type: 'graph', value: g };
        case 6: return { type: 'floats', value: fit(floats) };
        case 7: return { type: 'ints', value: fit(ints) };
        case 8: return { type: 'strings', value: strings };
        case 9: return { type: 'tensors', value: tensors };
        case 10: return { type: 'graphs', value: graphs };
        case 11:
          if (sparse === undefined) throw this.error(`attribute "${name}" of type SPARSE_TENSOR has no sparse_tensor`, undefined);
          return { type: 'sparseTensor', value: sparse };
        case 12: return { type: 'sparseTensors', value: sparseTensors };
        case 13: return { type: 'typeProto', value: tp ?? { kind: 'unknown' } };
        case 14: return { type: 'typeProtos', value: typeProtos };
        default: return { type: 'undefined' };
      }
    })();
    function inferAttributeType(): number {
      if (f !== undefined) return 1;
      if (i !== undefined) return 2;
      if (s !== undefined) return 3;
      if (t !== undefined) return 4;
      if (g !== undefined) return 5;
      if (sparse !== undefined) return 11;
      if (tp !== undefined) return 13;
      if (floats.length > 0) return 6;
      if (ints.length > 0) return 7;
      if (strings.length > 0) return 8;
      if (tensors.length > 0) return 9;
      if (graphs.length > 0) return 10;
      if (sparseTensors.length > 0) return 12;
      if (typeProtos.length > 0) return 14;
      return 0;
    }
    return defined({ name, refAttrName, docString, value });
  }

  private valueInfo(end: number): ValueInfo {
    let name = '';
    let type: TypeProto | undefined;
    let docString: string | undefined;
    const metadataProps: StringEntry[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: name = this.name(wire, field, end); break;
        case 2: type = this.sub(wire, field, end, 'type', -1, this.pType); break;
        case 3: docString = this.str(wire, field, end); break;
        case 4: metadataProps.push(this.sub(wire, field, end, 'metadata_props', metadataProps.length, this.pEntry)); break;
        default: this.skip(wire, end);
      }
    }
    return defined({ name, type, docString, metadataProps: metadataProps.length > 0 ? metadataProps : undefined });
  }

  private type(end: number): TypeProto {
    let type: TypeProto = { kind: 'unknown' };
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: type = this.sub(wire, field, end, 'tensor_type', -1, this.pTensorType); break;
        case 4: type = this.sub(wire, field, end, 'sequence_type', -1, this.pSequenceType); break;
        case 5: type = this.sub(wire, field, end, 'map_type', -1, this.pMapType); break;
        case 8: type = this.sub(wire, field, end, 'sparse_tensor_type', -1, this.pSparseTensorType); break;
        case 9: type = this.sub(wire, field, end, 'optional_type', -1, this.pOptionalType); break;
        default: this.skip(wire, end);
      }
    }
    return defined(type);
  }

  /** The `elem_type` (field 1, a TypeProto) of Sequence and Optional. */
  private innerType(end: number): TypeProto | undefined {
    let elemType: TypeProto | undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) elemType = this.sub(wire, field, end, 'elem_type', -1, this.pType);
      else this.skip(wire, end);
    }
    return elemType;
  }

  private mapType(end: number): TypeProto {
    let keyType = DataType.UNDEFINED as DataType;
    let valueType: TypeProto | undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) keyType = this.int(wire, field, end) as DataType;
      else if (field === 2) valueType = this.sub(wire, field, end, 'value_type', -1, this.pType);
      else this.skip(wire, end);
    }
    return defined({ kind: 'map' as const, keyType, valueType });
  }

  private tensorType(end: number, kind: 'tensor' | 'sparseTensor'): TypeProto {
    let elemType = DataType.UNDEFINED as DataType;
    let shape: Dim[] | undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) elemType = this.int(wire, field, end) as DataType;
      else if (field === 2) shape = this.sub(wire, field, end, 'shape', -1, this.pShape);
      else this.skip(wire, end);
    }
    return kind === 'tensor' ? defined({ kind, elemType, shape }) : defined({ kind, elemType, shape });
  }

  private shape(end: number): Dim[] {
    const dims: Dim[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) dims.push(this.sub(wire, field, end, 'dim', dims.length, this.pDim));
      else this.skip(wire, end);
    }
    return fit(dims);
  }

  private dim(end: number): Dim {
    let dim: Dim = undefined;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) dim = this.int(wire, field, end);
      else if (field === 2) dim = this.str(wire, field, end);
      else this.skip(wire, end);
    }
    return dim;
  }

  private sparseTensor(end: number): SparseTensor {
    let values: Tensor | undefined;
    let indices: Tensor | undefined;
    const dims: number[] = [];
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) values = this.sub(wire, field, end, 'values', -1, this.pTensor);
      else if (field === 2) indices = this.sub(wire, field, end, 'indices', -1, this.pTensor);
      else if (field === 3) this.dims(wire, field, end, dims);
      else this.skip(wire, end);
    }
    if (values === undefined) throw this.error('sparse tensor without values', undefined);
    if (indices === undefined) throw this.error('sparse tensor without indices', undefined);
    this.checkDims(dims);
    return { values, indices, dims };
  }

  private tensor(end: number): Tensor {
    this.checkAbort();
    const dims: number[] = [];
    let dataType = DataType.UNDEFINED as DataType;
    let name = '';
    let docString: string | undefined;
    let dataLocation = 0;
    let segment: { begin: bigint; end: bigint } | undefined;
    let externalData: StringEntry[] | undefined;
    let metadataProps: StringEntry[] | undefined;
    // Tensors do not nest, so one scratch map serves every tensor.
    const payload = this.payloadScratch;
    payload.clear();
    while (this.c.pos < end) {
      const tagAt = this.c.pos;
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      const dataField = FIELD_OF_TENSOR_DATA[field];
      if (dataField !== undefined) {
        this.payloadField(dataField, field, wire, end, tagAt, payload);
        continue;
      }
      switch (field) {
        case 1: this.dims(wire, field, end, dims); break;
        case 2: dataType = this.int(wire, field, end) as DataType; break;
        case 3: segment = this.sub(wire, field, end, 'segment', -1, this.pTensorSegment); break;
        case 8: name = this.name(wire, field, end); break;
        case 12: docString = this.str(wire, field, end); break;
        case 13: externalData = this.pushEntry(wire, field, end, externalData); break;
        case 14: dataLocation = this.int(wire, field, end); break;
        case 16: metadataProps = this.pushEntry(wire, field, end, metadataProps); break;
        default: this.skip(wire, end);
      }
    }
    let data: TensorData;
    if (dataLocation === 1) {
      const where = this.fieldPath();
      const reference = parseExternalReference(externalData ?? [], (problem) => new ExternalDataError(problem, undefined, where, this.options.file));
      this.externalLocations.add(reference.location);
      // Without a length the payload is what the dims and type need (as onnxruntime reads it), not the rest of the file: a tiny tensor in a 20 GiB file is not 20 GiB.
      const needed = reference.length === undefined && dims.every((d) => d >= 0) ? byteSize(dataType, dims.reduce((a, b) => a * b, 1)) : undefined;
      data = new ExternalTensorData(this.options.modelDir, needed !== undefined && Number.isSafeInteger(needed) ? { ...reference, length: needed } : reference, where);
    } else {
      let chosen: PayloadField | undefined;
      for (const candidate of PAYLOAD_PRIORITY) {
        if (payload.has(candidate)) {
          chosen = candidate;
          break;
        }
      }
      const segments = chosen === undefined ? NO_SEGMENTS : payload.get(chosen)!;
      const kept = chosen === undefined ? undefined : this.smallPayloads?.keep(segments, this.pWindowBytes);
      data = kept ? new InlineTensorData(kept.source, dataType, chosen, kept.segments) : new InlineTensorData(this.payloads, dataType, chosen, segments);
    }
    this.checkDims(dims);
    const tensor: Mutable<Tensor> = { name, dataType, dims: fit(dims), data };
    if (docString !== undefined) tensor.docString = docString;
    if (metadataProps !== undefined) tensor.metadataProps = metadataProps;
    if (externalData !== undefined) tensor.externalData = externalData;
    if (segment !== undefined) tensor.segment = segment;
    return tensor;
  }

  private tensorSegment(end: number): { begin: bigint; end: bigint } {
    let begin = 0n;
    let stop = 0n;
    while (this.c.pos < end) {
      const tag = this.tag(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) begin = this.int64(wire, field, end);
      else if (field === 2) stop = this.int64(wire, field, end);
      else this.skip(wire, end);
    }
    return { begin, end: stop };
  }

  /** Records where a data field's bytes are, without reading them. */
  private payloadField(kind: PayloadField, field: number, wire: number, end: number, tagAt: number, payload: Map<PayloadField, PayloadSegment[]>): void {
    const valueAt = this.c.pos;
    if (wire === LENGTH_DELIMITED && kind !== 'string') {
      const length = this.c.length(end);
      const width = kind === 'float' ? 4 : kind === 'double' ? 8 : 1;
      if (length % width !== 0) throw this.error(`packed field ${field} is ${length} bytes, not a multiple of ${width}`);
      const segment: PayloadSegment = { field: kind, offset: this.c.pos, length, packed: true };
      this.c.skip(length);
      if (kind === 'raw') payload.set(kind, [segment]);
      else if (length > 0) append(payload, segment);
      return;
    }
    switch (kind) {
      case 'string':
        this.expectWire(wire, LENGTH_DELIMITED, field);
        this.c.skip(this.c.length(end));
        break;
      case 'float':
        this.expectWire(wire, FIXED32, field);
        this.c.checkRoom(4, end);
        this.c.skip(4);
        break;
      case 'double':
        this.expectWire(wire, FIXED64, field);
        this.c.checkRoom(8, end);
        this.c.skip(8);
        break;
      case 'raw':
        throw this.error(`field ${field} has wire type ${wire}, expected 2`);
      default:
        this.expectWire(wire, VARINT, field);
        this.c.skipValue(wire, end);
    }
    const runs = payload.get(kind);
    const last = runs?.[runs.length - 1];
    if (last !== undefined && !last.packed && last.offset + last.length === tagAt) {
      last.length = this.c.pos - last.offset;
    } else append(payload, { field: kind, offset: valueAt, length: this.c.pos - valueAt, packed: false });
  }
}

function append(payload: Map<PayloadField, PayloadSegment[]>, segment: PayloadSegment): void {
  const list = payload.get(segment.field);
  if (list === undefined) payload.set(segment.field, [segment]);
  else list.push(segment);
}
