/**
 * In-memory ONNX model, mirroring onnx.proto for IR version 10 (ONNX 1.16+). Field names
 * follow the proto in camelCase. Tensor payloads are never decoded eagerly: a tensor's
 * bytes are a `TensorData` handle that reads them on request (from the file, from an
 * external-data file, or from an in-memory buffer for models we build).
 */

/** TensorProto.DataType, IR 10 (float8 since IR 9, int4/uint4 since IR 10). */
export enum DataType {
  UNDEFINED = 0,
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
}

/** A dimension: a concrete size, a symbolic name (`dim_param`), or unknown. */
export type Dim = number | string | undefined;

export type TypeProto =
  | { readonly kind: 'tensor'; readonly elemType: DataType; readonly shape?: readonly Dim[] }
  | { readonly kind: 'sparseTensor'; readonly elemType: DataType; readonly shape?: readonly Dim[] }
  | { readonly kind: 'sequence'; readonly elemType?: TypeProto }
  | { readonly kind: 'map'; readonly keyType: DataType; readonly valueType?: TypeProto }
  | { readonly kind: 'optional'; readonly elemType?: TypeProto }
  | { readonly kind: 'unknown' };

export interface ValueInfo {
  readonly name: string;
  readonly type?: TypeProto;
  readonly docString?: string;
  readonly metadataProps?: readonly StringEntry[];
}

export interface StringEntry {
  readonly key: string;
  readonly value: string;
}

/** Where a tensor's raw bytes live. Reading is explicit and may be asynchronous. */
export interface TensorData {
  /** Byte length of the stored payload (raw_data or external segment), when known without reading. */
  readonly byteLength: number | undefined;
  readonly location: 'inline' | 'external';
  /** External data: file path relative to the model folder, as written in the model. */
  readonly externalPath?: string;
  /**
   * Reads the payload as little-endian raw bytes in the layout of `raw_data` (typed fields such
   * as float_data or int32_data are converted). STRING tensors, which have no raw layout: each
   * string as its uint32 little-endian byte length followed by its bytes.
   */
  read(signal?: AbortSignal): Promise<Uint8Array>;
  /** The same bytes as `read`, in pieces, so large payloads can be copied without holding them whole. Each piece stays valid after the next is requested. */
  chunks?(signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** External data: the payload opened for reads at any position (to compare a huge payload by samples). The caller closes it. */
  openRandomAccess?(): Promise<RandomAccessPayload>;
}

export interface RandomAccessPayload {
  readonly byteLength: number;
  readAt(position: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface Tensor {
  readonly name: string;
  readonly dataType: DataType;
  readonly dims: readonly number[];
  readonly docString?: string;
  readonly data: TensorData;
  readonly metadataProps?: readonly StringEntry[];
  /** TensorProto.external_data as written (location, offset, length, checksum, ...). */
  readonly externalData?: readonly StringEntry[];
  /** TensorProto.segment: this tensor is the [begin, end) chunk of a larger one. */
  readonly segment?: { readonly begin: bigint; readonly end: bigint };
}

export interface SparseTensor {
  readonly values: Tensor;
  readonly indices: Tensor;
  readonly dims: readonly number[];
}

export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'string'; readonly value: Uint8Array }
  | { readonly type: 'tensor'; readonly value: Tensor }
  | { readonly type: 'graph'; readonly value: Graph }
  | { readonly type: 'sparseTensor'; readonly value: SparseTensor }
  | { readonly type: 'typeProto'; readonly value: TypeProto }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly bigint[] }
  | { readonly type: 'strings'; readonly value: readonly Uint8Array[] }
  | { readonly type: 'tensors'; readonly value: readonly Tensor[] }
  | { readonly type: 'graphs'; readonly value: readonly Graph[] }
  | { readonly type: 'sparseTensors'; readonly value: readonly SparseTensor[] }
  | { readonly type: 'typeProtos'; readonly value: readonly TypeProto[] }
  | { readonly type: 'undefined' };

export interface Attribute {
  readonly name: string;
  /** Set when the attribute refers to an attribute of the enclosing function. */
  readonly refAttrName?: string;
  readonly docString?: string;
  readonly value: AttributeValue;
}

export interface Node {
  readonly name: string;
  readonly opType: string;
  /** '' is the default ONNX domain ('ai.onnx'). */
  readonly domain: string;
  readonly overload?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly Attribute[];
  readonly docString?: string;
  readonly metadataProps?: readonly StringEntry[];
}

export interface Graph {
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly initializers: readonly Tensor[];
  readonly sparseInitializers: readonly SparseTensor[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly valueInfo: readonly ValueInfo[];
  readonly docString?: string;
  readonly metadataProps?: readonly StringEntry[];
  readonly quantizationAnnotation?: readonly TensorAnnotation[];
}

/** GraphProto.quantization_annotation: a tensor's quantization parameter tensors (SCALE_TENSOR, ...). */
export interface TensorAnnotation {
  readonly tensorName: string;
  readonly quantParameterTensorNames: readonly StringEntry[];
}

export interface OperatorSetId {
  readonly domain: string;
  readonly version: bigint;
}

export interface FunctionProto {
  readonly name: string;
  readonly domain: string;
  readonly overload?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly string[];
  readonly attributeProtos: readonly Attribute[];
  readonly nodes: readonly Node[];
  readonly opsetImports: readonly OperatorSetId[];
  readonly valueInfo: readonly ValueInfo[];
  readonly docString?: string;
  readonly metadataProps?: readonly StringEntry[];
}

export interface Model {
  readonly irVersion: bigint;
  readonly opsetImports: readonly OperatorSetId[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly domain?: string;
  readonly modelVersion?: bigint;
  readonly docString?: string;
  readonly graph: Graph;
  readonly metadataProps: readonly StringEntry[];
  readonly functions: readonly FunctionProto[];
  readonly trainingInfo?: readonly TrainingInfo[];
}

export interface TrainingInfo {
  readonly initialization?: Graph;
  readonly algorithm?: Graph;
  readonly initializationBinding: readonly StringEntry[];
  readonly updateBinding: readonly StringEntry[];
}
