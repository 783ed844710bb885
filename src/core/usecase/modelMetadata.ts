import type { FileStat, FileSystem } from '../fs';
import { DataType, type Dim, type Model, type Tensor, type TypeProto } from '../onnx/model';
import { byteSize, dtypeName, isFloatType } from '../onnx/shape/dtypes';
import { raceAbort } from '../raceAbort';

/** What the use-case checks need from a model: its real inputs, outputs and node names. */
export interface ModelTensorInfo {
  readonly name: string;
  /** Element type in use-case spelling (float32, int64, ...); undefined for non-tensors. */
  readonly dtype: string | undefined;
  /** Undefined when the model does not state a shape. */
  readonly shape: readonly Dim[] | undefined;
}

export interface ModelMetadata {
  readonly inputs: readonly ModelTensorInfo[];
  readonly outputs: readonly ModelTensorInfo[];
  readonly nodeNames: readonly string[];
  /** Elements of the floating-point initializers (the weights quantization shrinks). */
  readonly floatWeightElements: number;
  /** Bytes of those floating-point initializers as stored (fp16 weights take 2 per element). */
  readonly floatWeightBytes: number;
  /** Bytes of all initializers as stored. */
  readonly weightBytes: number;
}

export type ModelReader = (path: string, signal?: AbortSignal) => Promise<Model>;

function tensorInfo(name: string, type: TypeProto | undefined): ModelTensorInfo {
  if (type && (type.kind === 'tensor' || type.kind === 'sparseTensor')) {
    return { name, dtype: type.elemType === DataType.UNDEFINED ? undefined : dtypeName(type.elemType), shape: type.shape };
  }
  return { name, dtype: undefined, shape: undefined };
}

export function modelMetadata(model: Model): ModelMetadata {
  const initializers = new Set(model.graph.initializers.map((t) => t.name));
  const floatWeights = model.graph.initializers.filter((t) => isFloatType(t.dataType));
  return {
    inputs: model.graph.inputs.filter((v) => !initializers.has(v.name)).map((v) => tensorInfo(v.name, v.type)),
    outputs: model.graph.outputs.map((v) => tensorInfo(v.name, v.type)),
    nodeNames: model.graph.nodes.map((n) => n.name),
    floatWeightElements: floatWeights.reduce((sum, t) => sum + elements(t.dims), 0),
    floatWeightBytes: floatWeights.reduce((sum, t) => sum + storedBytes(t), 0),
    weightBytes: model.graph.initializers.reduce((sum, t) => sum + storedBytes(t), 0),
  };
}

function elements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function storedBytes(t: Tensor): number {
  return t.data.byteLength ?? byteSize(t.dataType, elements(t.dims)) ?? elements(t.dims) * 4;
}

/**
 * Model metadata by path, cached on (size, mtime): the editor validates on every keystroke
 * and must not re-read a model that did not change. Owned by the caller (one per session).
 */
export class ModelMetadataCache {
  private readonly entries = new Map<string, { key: string; metadata: Promise<ModelMetadata> }>();

  constructor(private readonly read: ModelReader, private readonly maxEntries = 64) {}

  /** `known` is a stat the caller already has (saves a second stat per keystroke). */
  async get(fs: FileSystem, path: string, signal?: AbortSignal, known?: FileStat): Promise<ModelMetadata> {
    const stat = known ?? (await fs.stat(path));
    if (!stat) throw new Error(`${path}: no such file`);
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.entries.get(path);
    if (hit && hit.key === key) return hit.metadata;
    // The read is not tied to one caller's signal: another validation may be waiting for it.
    const metadata = this.read(path).then(modelMetadata);
    this.entries.set(path, { key, metadata });
    metadata.catch(() => {
      if (this.entries.get(path)?.metadata === metadata) this.entries.delete(path);
    });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return raceAbort(metadata, signal);
  }

  invalidate(path?: string): void {
    if (path === undefined) this.entries.clear();
    else this.entries.delete(path);
  }
}

