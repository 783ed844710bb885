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
import { Cursor, WireError, WireType } from './proto/cursor';
import { ExternalDataError, OnnxFormatError } from './readErrors';
import { ExternalTensorData, parseExternalReference } from './readExternalData';
import { InlineTensorData, type PayloadField, type PayloadSegment, type PayloadSource } from './readTensorData';

/** Nested messages deeper than this are refused (subgraphs inside subgraphs, nested types). */
export const MAX_MESSAGE_DEPTH = 100;

export interface ParseOptions {
  /** Folder external data is resolved against; undefined when the model came from memory. */
  readonly modelDir: string | undefined;
  /** File name for error messages. */
  readonly file: string | undefined;
  readonly signal: AbortSignal | undefined;
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

function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

export class ModelParser {
  private readonly path: string[] = [];
  private depth = 0;
  private sinceAbortCheck = 0;
  /** External locations seen, for the caller to check against the file system. */
  readonly externalLocations = new Set<string>();

  constructor(
    private readonly c: Cursor,
    private readonly payloads: PayloadSource,
    private readonly options: ParseOptions,
  ) {}

  parseModel(): Model {
    return this.guard(() => this.model(this.c.size));
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
    return new OnnxFormatError(problem, offset, this.path.join('.'), this.options.file);
  }

  // ---- primitives -------------------------------------------------------------------------

  private tag(end: number): { field: number; wire: number } {
    const at = this.c.pos;
    const tag = this.c.varint();
    const field = tag >>> 3;
    if (tag < 8 || tag > 0xffffffff || field === 0) throw this.error(`invalid field tag ${tag}`, at);
    if (this.c.pos > end) throw this.error('field tag runs past the end of its message', at);
    return { field, wire: tag & 7 };
  }

  private expectWire(wire: number, expected: WireType, field: number): void {
    if (wire !== expected) throw this.error(`field ${field} has wire type ${wire}, expected ${expected}`);
  }

  private str(wire: number, field: number, end: number): string {
    this.expectWire(wire, WireType.LengthDelimited, field);
    return this.c.string(this.c.length(end));
  }

  private bytes(wire: number, field: number, end: number): Uint8Array {
    this.expectWire(wire, WireType.LengthDelimited, field);
    return this.c.bytes(this.c.length(end));
  }

  private int(wire: number, field: number, end: number): number {
    this.expectWire(wire, WireType.Varint, field);
    const value = this.c.varint();
    if (this.c.pos > end) throw this.error(`field ${field} runs past the end of its message`);
    return value;
  }

  private int64(wire: number, field: number, end: number): bigint {
    this.expectWire(wire, WireType.Varint, field);
    const value = this.c.int64();
    if (this.c.pos > end) throw this.error(`field ${field} runs past the end of its message`);
    return value;
  }

  private float(wire: number, field: number, end: number): number {
    this.expectWire(wire, WireType.Fixed32, field);
    this.c.checkRoom(4, end);
    return this.c.fixed32Float();
  }

  /** Repeated int64, packed or not. */
  private int64s(wire: number, field: number, end: number, into: bigint[]): void {
    if (wire === WireType.LengthDelimited) {
      const stop = this.c.pos + this.c.length(end);
      while (this.c.pos < stop) into.push(this.c.int64());
      if (this.c.pos !== stop) throw this.error(`packed field ${field} has a varint crossing its end`);
    } else into.push(this.int64(wire, field, end));
  }

  private dims(wire: number, field: number, end: number, into: number[]): void {
    if (wire === WireType.LengthDelimited) {
      const stop = this.c.pos + this.c.length(end);
      while (this.c.pos < stop) into.push(this.c.varint());
      if (this.c.pos !== stop) throw this.error(`packed field ${field} has a varint crossing its end`);
    } else into.push(this.int(wire, field, end));
  }

  private floats(wire: number, field: number, end: number, into: number[]): void {
    if (wire === WireType.LengthDelimited) {
      const length = this.c.length(end);
      if (length % 4 !== 0) throw this.error(`packed float field ${field} is ${length} bytes, not a multiple of 4`);
      for (let k = 0; k < length; k += 4) into.push(this.c.fixed32Float());
    } else into.push(this.float(wire, field, end));
  }

  private skip(wire: number, end: number): void {
    if (wire === WireType.StartGroup || wire === WireType.EndGroup) throw this.error(`unsupported wire type ${wire} (groups)`);
    if (wire > WireType.Fixed32) throw this.error(`invalid wire type ${wire}`);
    this.c.skipValue(wire, end);
    if (this.c.pos > end) throw this.error('field runs past the end of its message');
  }

  /** Parses a nested message field; `name` extends the field path for errors. */
  private sub<T>(wire: number, field: number, end: number, name: string, parse: (end: number) => T): T {
    this.path.push(name);
    this.expectWire(wire, WireType.LengthDelimited, field);
    const length = this.c.length(end);
    const stop = this.c.pos + length;
    if (++this.depth > MAX_MESSAGE_DEPTH) throw this.error(`messages nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
    const value = parse(stop);
    if (this.c.pos !== stop) throw this.error(`message ends at byte ${this.c.pos}, expected ${stop}`);
    this.depth--;
    this.path.pop();
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: irVersion = this.int64(wire, field, end); break;
        case 2: producerName = this.str(wire, field, end); break;
        case 3: producerVersion = this.str(wire, field, end); break;
        case 4: domain = this.str(wire, field, end); break;
        case 5: modelVersion = this.int64(wire, field, end); break;
        case 6: docString = this.str(wire, field, end); break;
        case 7: graph = this.sub(wire, field, end, 'graph', (e) => this.graph(e)); break;
        case 8: opsetImports.push(this.sub(wire, field, end, `opset_import[${opsetImports.length}]`, (e) => this.opset(e))); break;
        case 14: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
        case 20: trainingInfo.push(this.sub(wire, field, end, `training_info[${trainingInfo.length}]`, (e) => this.trainingInfo(e))); break;
        case 25: functions.push(this.sub(wire, field, end, `functions[${functions.length}]`, (e) => this.function(e))); break;
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: name = this.str(wire, field, end); break;
        case 4: inputs.push(this.str(wire, field, end)); break;
        case 5: outputs.push(this.str(wire, field, end)); break;
        case 6: attributes.push(this.str(wire, field, end)); break;
        case 7: nodes.push(this.sub(wire, field, end, `node[${nodes.length}]`, (e) => this.node(e))); break;
        case 8: docString = this.str(wire, field, end); break;
        case 9: opsetImports.push(this.sub(wire, field, end, `opset_import[${opsetImports.length}]`, (e) => this.opset(e))); break;
        case 10: domain = this.str(wire, field, end); break;
        case 11: attributeProtos.push(this.sub(wire, field, end, `attribute_proto[${attributeProtos.length}]`, (e) => this.attribute(e))); break;
        case 12: valueInfo.push(this.sub(wire, field, end, `value_info[${valueInfo.length}]`, (e) => this.valueInfo(e))); break;
        case 13: overload = this.str(wire, field, end); break;
        case 14: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
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
      const { field, wire } = this.tag(end);
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
      const { field, wire } = this.tag(end);
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: initialization = this.sub(wire, field, end, 'initialization', (e) => this.graph(e)); break;
        case 2: algorithm = this.sub(wire, field, end, 'algorithm', (e) => this.graph(e)); break;
        case 3: initializationBinding.push(this.sub(wire, field, end, `initialization_binding[${initializationBinding.length}]`, (e) => this.entry(e))); break;
        case 4: updateBinding.push(this.sub(wire, field, end, `update_binding[${updateBinding.length}]`, (e) => this.entry(e))); break;
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: nodes.push(this.sub(wire, field, end, `node[${nodes.length}]`, (e) => this.node(e))); break;
        case 2: name = this.str(wire, field, end); break;
        case 5: initializers.push(this.sub(wire, field, end, `initializer[${initializers.length}]`, (e) => this.tensor(e))); break;
        case 10: docString = this.str(wire, field, end); break;
        case 11: inputs.push(this.sub(wire, field, end, `input[${inputs.length}]`, (e) => this.valueInfo(e))); break;
        case 12: outputs.push(this.sub(wire, field, end, `output[${outputs.length}]`, (e) => this.valueInfo(e))); break;
        case 13: valueInfo.push(this.sub(wire, field, end, `value_info[${valueInfo.length}]`, (e) => this.valueInfo(e))); break;
        case 14: quantizationAnnotation.push(this.sub(wire, field, end, `quantization_annotation[${quantizationAnnotation.length}]`, (e) => this.annotation(e))); break;
        case 15: sparseInitializers.push(this.sub(wire, field, end, `sparse_initializer[${sparseInitializers.length}]`, (e) => this.sparseTensor(e))); break;
        case 16: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
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
      const { field, wire } = this.tag(end);
      if (field === 1) tensorName = this.str(wire, field, end);
      else if (field === 2) quantParameterTensorNames.push(this.sub(wire, field, end, `quant_parameter_tensor_names[${quantParameterTensorNames.length}]`, (e) => this.entry(e)));
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
    const metadataProps: StringEntry[] = [];
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: inputs.push(this.str(wire, field, end)); break;
        case 2: outputs.push(this.str(wire, field, end)); break;
        case 3: name = this.str(wire, field, end); break;
        case 4: opType = this.str(wire, field, end); break;
        case 5: attributes.push(this.sub(wire, field, end, `attribute[${attributes.length}]`, (e) => this.attribute(e))); break;
        case 6: docString = this.str(wire, field, end); break;
        case 7: domain = this.str(wire, field, end); break;
        case 8: overload = this.str(wire, field, end); break;
        case 9: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
        default: this.skip(wire, end);
      }
    }
    return defined({
      name,
      opType,
      domain,
      overload,
      inputs,
      outputs,
      attributes,
      docString,
      metadataProps: metadataProps.length > 0 ? metadataProps : undefined,
    });
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: name = this.str(wire, field, end); break;
        case 2: f = this.float(wire, field, end); break;
        case 3: i = this.int64(wire, field, end); break;
        case 4: s = this.bytes(wire, field, end); break;
        case 5: t = this.sub(wire, field, end, 't', (e) => this.tensor(e)); break;
        case 6: g = this.sub(wire, field, end, 'g', (e) => this.graph(e)); break;
        case 7: this.floats(wire, field, end, floats); break;
        case 8: this.int64s(wire, field, end, ints); break;
        case 9: strings.push(this.bytes(wire, field, end)); break;
        case 10: tensors.push(this.sub(wire, field, end, `tensors[${tensors.length}]`, (e) => this.tensor(e))); break;
        case 11: graphs.push(this.sub(wire, field, end, `graphs[${graphs.length}]`, (e) => this.graph(e))); break;
        case 13: docString = this.str(wire, field, end); break;
        case 14: tp = this.sub(wire, field, end, 'tp', (e) => this.type(e)); break;
        case 15: typeProtos.push(this.sub(wire, field, end, `type_protos[${typeProtos.length}]`, (e) => this.type(e))); break;
        case 20: type = this.int(wire, field, end); break;
        case 21: refAttrName = this.str(wire, field, end); break;
        case 22: sparse = this.sub(wire, field, end, 'sparse_tensor', (e) => this.sparseTensor(e)); break;
        case 23: sparseTensors.push(this.sub(wire, field, end, `sparse_tensors[${sparseTensors.length}]`, (e) => this.sparseTensor(e))); break;
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
        case 6: return { type: 'floats', value: floats };
        case 7: return { type: 'ints', value: ints };
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
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: name = this.str(wire, field, end); break;
        case 2: type = this.sub(wire, field, end, 'type', (e) => this.type(e)); break;
        case 3: docString = this.str(wire, field, end); break;
        case 4: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
        default: this.skip(wire, end);
      }
    }
    return defined({ name, type, docString, metadataProps: metadataProps.length > 0 ? metadataProps : undefined });
  }

  private type(end: number): TypeProto {
    let type: TypeProto = { kind: 'unknown' };
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      switch (field) {
        case 1: type = this.sub(wire, field, end, 'tensor_type', (e) => this.tensorType(e, 'tensor')); break;
        case 4: type = this.sub(wire, field, end, 'sequence_type', (e) => ({ kind: 'sequence' as const, elemType: this.innerType(e) })); break;
        case 5: type = this.sub(wire, field, end, 'map_type', (e) => this.mapType(e)); break;
        case 8: type = this.sub(wire, field, end, 'sparse_tensor_type', (e) => this.tensorType(e, 'sparseTensor')); break;
        case 9: type = this.sub(wire, field, end, 'optional_type', (e) => ({ kind: 'optional' as const, elemType: this.innerType(e) })); break;
        default: this.skip(wire, end);
      }
    }
    return defined(type);
  }

  /** The `elem_type` (field 1, a TypeProto) of Sequence and Optional. */
  private innerType(end: number): TypeProto | undefined {
    let elemType: TypeProto | undefined;
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      if (field === 1) elemType = this.sub(wire, field, end, 'elem_type', (e) => this.type(e));
      else this.skip(wire, end);
    }
    return elemType;
  }

  private mapType(end: number): TypeProto {
    let keyType = DataType.UNDEFINED as DataType;
    let valueType: TypeProto | undefined;
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      if (field === 1) keyType = this.int(wire, field, end) as DataType;
      else if (field === 2) valueType = this.sub(wire, field, end, 'value_type', (e) => this.type(e));
      else this.skip(wire, end);
    }
    return defined({ kind: 'map' as const, keyType, valueType });
  }

  private tensorType(end: number, kind: 'tensor' | 'sparseTensor'): TypeProto {
    let elemType = DataType.UNDEFINED as DataType;
    let shape: Dim[] | undefined;
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      if (field === 1) elemType = this.int(wire, field, end) as DataType;
      else if (field === 2) shape = this.sub(wire, field, end, 'shape', (e) => this.shape(e));
      else this.skip(wire, end);
    }
    return kind === 'tensor' ? defined({ kind, elemType, shape }) : defined({ kind, elemType, shape });
  }

  private shape(end: number): Dim[] {
    const dims: Dim[] = [];
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      if (field === 1) dims.push(this.sub(wire, field, end, `dim[${dims.length}]`, (e) => this.dim(e)));
      else this.skip(wire, end);
    }
    return dims;
  }

  private dim(end: number): Dim {
    let dim: Dim = undefined;
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
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
      const { field, wire } = this.tag(end);
      if (field === 1) values = this.sub(wire, field, end, 'values', (e) => this.tensor(e));
      else if (field === 2) indices = this.sub(wire, field, end, 'indices', (e) => this.tensor(e));
      else if (field === 3) this.dims(wire, field, end, dims);
      else this.skip(wire, end);
    }
    if (values === undefined) throw this.error('sparse tensor without values', undefined);
    if (indices === undefined) throw this.error('sparse tensor without indices', undefined);
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
    const externalData: StringEntry[] = [];
    const metadataProps: StringEntry[] = [];
    const payload = new Map<PayloadField, PayloadSegment[]>();
    while (this.c.pos < end) {
      const tagAt = this.c.pos;
      const { field, wire } = this.tag(end);
      const dataField = FIELD_OF_TENSOR_DATA[field];
      if (dataField !== undefined) {
        this.payloadField(dataField, field, wire, end, tagAt, payload);
        continue;
      }
      switch (field) {
        case 1: this.dims(wire, field, end, dims); break;
        case 2: dataType = this.int(wire, field, end) as DataType; break;
        case 3: segment = this.sub(wire, field, end, 'segment', (e) => this.tensorSegment(e)); break;
        case 8: name = this.str(wire, field, end); break;
        case 12: docString = this.str(wire, field, end); break;
        case 13: externalData.push(this.sub(wire, field, end, `external_data[${externalData.length}]`, (e) => this.entry(e))); break;
        case 14: dataLocation = this.int(wire, field, end); break;
        case 16: metadataProps.push(this.sub(wire, field, end, `metadata_props[${metadataProps.length}]`, (e) => this.entry(e))); break;
        default: this.skip(wire, end);
      }
    }
    let data: TensorData;
    if (dataLocation === 1) {
      const where = this.path.join('.');
      const reference = parseExternalReference(externalData, (problem) => new ExternalDataError(problem, undefined, where, this.options.file));
      this.externalLocations.add(reference.location);
      data = new ExternalTensorData(this.options.modelDir, reference, where);
    } else {
      const chosen = (['raw', 'float', 'int32', 'string', 'int64', 'double', 'uint64'] as const).find((f) => payload.has(f));
      data = new InlineTensorData(this.payloads, dataType, chosen, chosen === undefined ? [] : payload.get(chosen)!);
    }
    return defined({
      name,
      dataType,
      dims,
      docString,
      data,
      metadataProps: metadataProps.length > 0 ? metadataProps : undefined,
      externalData: externalData.length > 0 ? externalData : undefined,
      segment,
    });
  }

  private tensorSegment(end: number): { begin: bigint; end: bigint } {
    let begin = 0n;
    let stop = 0n;
    while (this.c.pos < end) {
      const { field, wire } = this.tag(end);
      if (field === 1) begin = this.int64(wire, field, end);
      else if (field === 2) stop = this.int64(wire, field, end);
      else this.skip(wire, end);
    }
    return { begin, end: stop };
  }

  /** Records where a data field's bytes are, without reading them. */
  private payloadField(kind: PayloadField, field: number, wire: number, end: number, tagAt: number, payload: Map<PayloadField, PayloadSegment[]>): void {
    const valueAt = this.c.pos;
    if (wire === WireType.LengthDelimited && kind !== 'string') {
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
        this.expectWire(wire, WireType.LengthDelimited, field);
        this.c.skip(this.c.length(end));
        break;
      case 'float':
        this.expectWire(wire, WireType.Fixed32, field);
        this.c.checkRoom(4, end);
        this.c.skip(4);
        break;
      case 'double':
        this.expectWire(wire, WireType.Fixed64, field);
        this.c.checkRoom(8, end);
        this.c.skip(8);
        break;
      case 'raw':
        throw this.error(`field ${field} has wire type ${wire}, expected 2`);
      default:
        this.expectWire(wire, WireType.Varint, field);
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
