/**
 * A small typed API to make ONNX graphs: inputs, initializers from typed arrays, nodes with
 * typed attributes, name scopes (`/backbone/stage1/conv1/Conv`), subgraphs. Deterministic:
 * the same calls with the same seed give the same model, byte for byte.
 */
import { DataType, type Attribute, type AttributeValue, type Dim, type Graph, type Node, type Tensor, type TypeProto, type ValueInfo } from '../model';
import { bytesTensorData } from '../readTensorData';
import type { Rng } from './random';

export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface NodeOptions {
  /** Local name inside the current scope; defaults to the op type. */
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** Number of outputs (named `<node>_output_<i>`) or explicit output names. Default 1. */
  readonly outputs?: number | readonly string[];
  readonly domain?: string;
}

const ARRAY_TYPES: ReadonlyArray<[new (...args: never[]) => TensorValues, DataType]> = [
  [Float32Array, DataType.FLOAT],
  [Float64Array, DataType.DOUBLE],
  [Int8Array, DataType.INT8],
  [Uint8Array, DataType.UINT8],
  [Int16Array, DataType.INT16],
  [Uint16Array, DataType.UINT16],
  [Int32Array, DataType.INT32],
  [Uint32Array, DataType.UINT32],
  [BigInt64Array, DataType.INT64],
  [BigUint64Array, DataType.UINT64],
];

export function dataTypeOf(values: TensorValues): DataType {
  for (const [ctor, type] of ARRAY_TYPES) if (values instanceof ctor) return type;
  throw new Error('unsupported typed array');
}

/** A tensor whose payload is the little-endian bytes of `values` (or `bytes` with an explicit type). */
export function makeTensor(name: string, dims: readonly number[], values: TensorValues | { dataType: DataType; bytes: Uint8Array }): Tensor {
  if ('dataType' in values && 'bytes' in values) return { name, dataType: values.dataType, dims: [...dims], data: bytesTensorData(values.bytes) };
  const typed = values as TensorValues;
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (typed.length !== expected) throw new Error(`tensor ${name}: ${typed.length} values for dims [${dims.join(', ')}] (${expected} expected)`);
  return { name, dataType: dataTypeOf(typed), dims: [...dims], data: bytesTensorData(bytes) };
}

export function tensorType(elemType: DataType, shape?: readonly Dim[]): TypeProto {
  return shape === undefined ? { kind: 'tensor', elemType } : { kind: 'tensor', elemType, shape: [...shape] };
}

export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: Tensor[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly valueInfos: ValueInfo[] = [];
  private readonly scopes: string[] = [];
  private readonly usedNodeNames = new Set<string>();
  /** Per base name, the suffix that was free last time: names only get used, so the next free one is not lower. */
  private readonly nextSuffix = new Map<string, number>();
  private readonly initializerNames = new Set<string>();

  constructor(
    readonly name: string,
    readonly rng: Rng,
  ) {}

  /** The current scope path, e.g. `/backbone/stage1` ('' at the top). */
  get scopePath(): string {
    return this.scopes.map((s) => `/${s}`).join('');
  }

  /** Runs `build` with node and initializer names prefixed by `/<name>`. */
  scope<T>(name: string, build: () => T): T {
    this.scopes.push(name);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  input(name: string, elemType: DataType, shape: readonly Dim[]): string {
    this.inputs.push({ name, type: tensorType(elemType, shape) });
    return name;
  }

  /**
   * Declares `value` a graph output. With `rename`, the value takes that name everywhere
   * (its producer and consumers), as exporters name outputs; a graph input or initializer
   * gets an Identity node instead.
   */
  output(value: string, elemType: DataType, shape?: readonly Dim[], rename?: string): string {
    let name = value;
    if (rename !== undefined && rename !== value) {
      const producer = this.nodes.findIndex((n) => n.outputs.includes(value));
      if (producer < 0) {
        [name] = this.node('Identity', [value], { name: `${rename}_identity`, outputs: [rename] }) as [string];
      } else {
        const swap = (names: readonly string[]) => names.map((n) => (n === value ? rename : n));
        for (let k = 0; k < this.nodes.length; k++) {
          const n = this.nodes[k]!;
          this.nodes[k] = { ...n, inputs: swap(n.inputs), outputs: swap(n.outputs) };
        }
        name = rename;
      }
    }
    this.outputs.push({ name, type: tensorType(elemType, shape) });
    return name;
  }

  valueInfo(name: string, type: TypeProto): void {
    this.valueInfos.push({ name, type });
  }

  /** Adds an initializer named `<scope>/<name>`; returns its full name. */
  initializer(name: string, dims: readonly number[], values: TensorValues | { dataType: DataType; bytes: Uint8Array }): string {
    const full = this.scoped(name);
    if (this.initializerNames.has(full)) throw new Error(`initializer ${full} is defined twice`);
    this.initializerNames.add(full);
    this.initializers.push(makeTensor(full, dims, values));
    return full;
  }

  /** A float32 initializer of seeded normal values (mean 0, standard deviation `std`). */
  weight(name: string, dims: readonly number[], std: number, mean = 0): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.initializer(name, dims, this.rng.normalArray(count, std, mean));
  }

  /** An int64 initializer, e.g. a Reshape target shape. */
  int64s(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(name, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** A float32 initializer from plain numbers. */
  floats(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(name, dims, Float32Array.from(values));
  }

  /** Adds a node; returns its output names. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    const name = this.uniqueNodeName(this.scoped(options.name ?? opType));
    const outputs =
      typeof options.outputs === 'object' ? [...options.outputs] : Array.from({ length: options.outputs ?? 1 }, (_, k) => `${name}_output_${k}`);
    const attributes: Attribute[] = Object.entries(options.attributes ?? {}).map(([attrName, value]) => ({ name: attrName, value }));
    this.nodes.push({ name, opType, domain: options.domain ?? '', inputs: [...inputs], outputs, attributes });
    return outputs;
  }

  /** A node with one output; returns its name. */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>, name?: string): string {
    return this.node(opType, inputs, { ...(attributes === undefined ? {} : { attributes }), ...(name === undefined ? {} : { name }) })[0]!;
  }

  /** Makes a subgraph (If/Loop/Scan body) sharing this builder's random stream. */
  subgraph(name: string, build: (g: GraphBuilder) => void): Graph {
    const g = new GraphBuilder(name, this.rng);
    build(g);
    return g.build();
  }

  build(): Graph {
    return {
      name: this.name,
      nodes: [...this.nodes],
      initializers: [...this.initializers],
      sparseInitializers: [],
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      valueInfo: [...this.valueInfos],
    };
  }

  private scoped(name: string): string {
    const path = this.scopePath;
    return path === '' ? name : `${path}/${name}`;
  }

  private uniqueNodeName(name: string): string {
    let candidate = name;
    if (this.usedNodeNames.has(candidate)) {
      let k = this.nextSuffix.get(name) ?? 1;
      while (this.usedNodeNames.has(`${name}_${k}`)) k++;
      candidate = `${name}_${k}`;
      this.nextSuffix.set(name, k + 1);
    }
    this.usedNodeNames.add(candidate);
    return candidate;
  }
}
