import type { DataType, Dim } from '../model';

/**
 * What inference knows about one tensor. `dtype` undefined: element type unknown.
 * `shape` undefined: rank unknown. A dim is a number, a symbol (`dim_param` or a fresh
 * symbol for a data-dependent size), or undefined when unknown.
 */
export interface TensorInfo {
  readonly dtype: DataType | undefined;
  readonly shape: readonly Dim[] | undefined;
  /** Set for a sequence or optional value; dtype and shape then describe its element tensors. */
  readonly container?: 'sequence' | 'optional';
}

/** One element of a folded constant: a number, a symbolic dim carried through shape arithmetic, or unknown. */
export type Elem = number | string | undefined;

/** A small tensor whose contents are known at inference time (shape arithmetic). */
export interface ConstValue {
  readonly dims: readonly number[];
  readonly data: readonly Elem[];
}

export interface ShapeProblem {
  /** Node name, or `<opType>#<index>` for unnamed nodes. */
  readonly node: string;
  readonly opType: string;
  /** Graph path: '' for the main graph, else e.g. `loop_0/body`. */
  readonly graph: string;
  readonly message: string;
}

export interface ShapeInferenceResult {
  /** Every tensor of every graph (names are unique across a model's graphs, as ONNX requires). */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** Small constant tensors and folded shape arithmetic, by tensor name. */
  readonly values: ReadonlyMap<string, ConstValue>;
  readonly problems: readonly ShapeProblem[];
}

export interface ShapeInferenceOptions {
  /** Concrete (or symbolic) shapes for graph inputs by name; they replace the model's declared shapes. */
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  /** Ignore value_info and the shapes declared on graph outputs (used to cross-check inference itself). */
  readonly ignoreAnnotations?: boolean;
  /** Tensors up to this many elements are read for constant folding (default 4096). */
  readonly maxFoldElements?: number;
  readonly signal?: AbortSignal;
}
