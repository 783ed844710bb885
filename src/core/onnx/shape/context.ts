import type { AttributeValue, DataType, Dim, Graph, Node, Tensor } from '../model';
import type { ConstValue, TensorInfo } from './types';

/** What an op handler returns per output; missing fields are unknown. */
export interface OpOutput {
  readonly dtype?: DataType | undefined;
  readonly shape?: readonly Dim[] | undefined;
  readonly value?: ConstValue | undefined;
  readonly container?: 'sequence' | 'optional' | undefined;
}

/** A handler's view of one node: its inputs as inferred so far, attributes, and helpers. */
export interface OpContext {
  readonly node: Node;
  /** Opset version of the node's domain in this model. */
  readonly opset: number;
  /** Largest tensor (elements) to fold. */
  readonly maxFold: number;
  /** True when input `i` is present (not omitted with ''). */
  has(i: number): boolean;
  info(i: number): TensorInfo | undefined;
  shape(i: number): readonly Dim[] | undefined;
  dtype(i: number): DataType | undefined;
  value(i: number): ConstValue | undefined;
  attr(name: string): AttributeValue | undefined;
  int(name: string, fallback: number): number;
  ints(name: string): number[] | undefined;
  float(name: string, fallback: number): number;
  floats(name: string): number[] | undefined;
  str(name: string, fallback: string): string;
  graph(name: string): Graph | undefined;
  tensor(name: string): Tensor | undefined;
  /** Folded contents of a tensor attribute (small tensors only). */
  tensorValue(t: Tensor): ConstValue | undefined;
  /** Records why an output stays unknown or looks wrong. */
  problem(message: string): void;
  /** A fresh symbolic dim for a data-dependent size. */
  fresh(): string;
  /** Infers a subgraph with the given input types (outer-scope names visible) and returns its output types. */
  inferSubgraph(graph: Graph, inputs: ReadonlyArray<TensorInfo | undefined>, label: string): readonly TensorInfo[];
}

export type OpHandler = (ctx: OpContext) => ReadonlyArray<OpOutput | undefined>;

export type OpTable = Readonly<Record<string, OpHandler>>;
