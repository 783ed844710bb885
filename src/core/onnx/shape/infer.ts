import { DataType, type Attribute, type AttributeValue, type Dim, type FunctionProto, type Graph, type Model, type Node, type Tensor, type TypeProto } from '../model';
import { nodeLabel, nodeSubgraphs } from '../graph/subgraphs';
import { checkOrder, lenientOrder } from '../graph/topo';
import type { OpContext, OpOutput } from './context';
import { fmtShape, mergeDim } from './dims';
import { calledFunction, callPrefix, functionTable, instantiateFunction, type FunctionTable } from './functions';
import { opHandler } from './ops';
import type { ConstValue, ShapeInferenceOptions, ShapeInferenceResult, ShapeProblem, TensorInfo } from './types';
import { isFloatType } from './dtypes';
import { isFoldableType, readConstValue } from './values';
import { ownValue } from '../../safeRecord';

/** A caller-supplied input shape does not fit the model. */
export class InputShapeError extends Error {
  override readonly name = 'InputShapeError';
}

const LATEST_OPSET = 21;
const utf8 = new TextDecoder();

/**
 * Infers element type and shape of every tensor in the model (subgraphs included). Reads only
 * small tensors (for constant folding of shape arithmetic); everything else stays lazy.
 * Whatever cannot be derived from the model and the given input shapes is left unknown.
 */
export async function inferShapes(model: Model, options: ShapeInferenceOptions = {}): Promise<ShapeInferenceResult> {
  const maxFold = options.maxFoldElements ?? 4096;
  const tensorValues = new Map<Tensor, ConstValue>();
  const problems: ShapeProblem[] = [];
  for (const t of foldableTensors(model.graph, maxFold)) {
    options.signal?.throwIfAborted();
    try {
      const v = await readConstValue(t, options.signal);
      if (v) tensorValues.set(t, v);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      problems.push({ node: t.name, opType: 'initializer', graph: '', message: `cannot read tensor data: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  const engine = new Inference(model, options, maxFold, tensorValues, problems);
  engine.runMain();
  return { tensors: engine.tensors, values: engine.values, problems };
}

/**
 * Input positions whose contents (not just shape) decide an output shape. Float tensors are
 * read only when they feed one of these (Resize scales, Range bounds, ...): reading every small
 * float weight would cost a file read each and fold nothing.
 */
const valuePositions: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1], Expand: [1], Tile: [1], Slice: [1, 2, 3, 4], Squeeze: [1], Unsqueeze: [1], Split: [1], Pad: [1, 2, 3],
  Resize: [1, 2, 3], Upsample: [1], Range: [0, 1, 2], ConstantOfShape: [0], TopK: [1], OneHot: [1], If: [0], Loop: [0],
  DFT: [1, 2], Cast: [0], ReduceSum: [1], ReduceMean: [1], ReduceMax: [1], ReduceMin: [1], ReduceProd: [1],
  SplitToSequence: [1], MaxUnpool: [2], HannWindow: [0], HammingWindow: [0], BlackmanWindow: [0],
};

/** Tensors worth reading for folding: small integer/bool ones, and small floats that feed a value position. */
function foldableTensors(root: Graph, maxFold: number): Tensor[] {
  const valueInputs = new Set<string>();
  const visitUses = (g: Graph) => {
    for (const n of g.nodes) {
      for (const k of ownValue(valuePositions, n.opType) ?? []) {
        const name = n.inputs[k];
        if (name) valueInputs.add(name);
      }
      for (const { graph } of nodeSubgraphs(n)) visitUses(graph);
    }
  };
  visitUses(root);
  const out: Tensor[] = [];
  const consider = (t: Tensor, name: string) => {
    if (!isFoldableType(t.dataType) || t.dims.reduce((a, b) => a * b, 1) > maxFold) return;
    if (isFloatType(t.dataType) && !valueInputs.has(name)) return;
    out.push(t);
  };
  const visit = (g: Graph) => {
    for (const t of g.initializers) consider(t, t.name);
    for (const n of g.nodes) {
      for (const a of n.attributes) if (a.value.type === 'tensor') consider(a.value.value, n.opType === 'Constant' ? n.outputs[0] ?? '' : '');
      for (const { graph } of nodeSubgraphs(n)) visit(graph);
    }
  };
  visit(root);
  return out;
}

function typeToInfo(type: TypeProto | undefined): TensorInfo {
  if (type?.kind === 'sequence' || type?.kind === 'optional') {
    const inner = typeToInfo(type.elemType);
    return { dtype: inner.dtype, shape: inner.shape, container: type.kind };
  }
  if (type?.kind !== 'tensor' && type?.kind !== 'sparseTensor') return { dtype: undefined, shape: undefined };
  return {
    dtype: type.elemType === DataType.UNDEFINED ? undefined : type.elemType,
    shape: type.shape?.map((d) => (d === '' ? undefined : d)),
  };
}

function attrValue(node: Node, name: string): AttributeValue | undefined {
  const a: Attribute | undefined = node.attributes.find((x) => x.name === name);
  return a?.value;
}

class Inference {
  readonly tensors = new Map<string, TensorInfo>();
  readonly values = new Map<string, ConstValue>();
  private freshCount = 0;
  private readonly functions: FunctionTable;
  private functionDepth = 0;
  private readonly opsets = new Map<string, number>();

  constructor(
    private readonly model: Model,
    private readonly options: ShapeInferenceOptions,
    private readonly maxFold: number,
    private readonly tensorValues: ReadonlyMap<Tensor, ConstValue>,
    private readonly problems: ShapeProblem[],
  ) {
    this.functions = functionTable(model);
    for (const o of model.opsetImports) this.opsets.set(o.domain === 'ai.onnx' ? '' : o.domain, Number(o.version));
  }

  private opsetOf(domain: string): number {
    const d = domain === 'ai.onnx' ? '' : domain;
    return this.opsets.get(d) ?? (d === '' ? LATEST_OPSET : 1);
  }

  runMain(): void {
    const graph = this.model.graph;
    const given = this.options.inputShapes ?? {};
    const declared = new Map(graph.inputs.map((v) => [v.name, v]));
    for (const [name, dims] of Object.entries(given)) {
      const v = declared.get(name);
      if (!v) throw new InputShapeError(`the model has no input named '${name}' (inputs: ${graph.inputs.map((i) => i.name).join(', ') || 'none'})`);
      const shape = typeToInfo(v.type).shape;
      if (shape && shape.length !== dims.length) {
        throw new InputShapeError(`input '${name}' has rank ${shape.length} ${fmtShape(shape)}, but ${dims.length} dims were given`);
      }
      shape?.forEach((d, i) => {
        const g = dims[i];
        if (typeof d === 'number' && typeof g === 'number' && d !== g) {
          throw new InputShapeError(`input '${name}' dim ${i} is fixed at ${d} in the model, but ${g} was given`);
        }
      });
    }
    const inputs = graph.inputs.map((v) => {
      const info = typeToInfo(v.type);
      const g = ownValue(given, v.name);
      return g ? { dtype: info.dtype, shape: [...g] } : info;
    });
    this.runGraph(graph, '', inputs);
  }

  /** Infers one graph; returns the types of its outputs. */
  runGraph(graph: Graph, path: string, inputs: ReadonlyArray<TensorInfo | undefined>): TensorInfo[] {
    const initNames = new Set<string>();
    for (const t of graph.initializers) {
      initNames.add(t.name);
      this.tensors.set(t.name, { dtype: t.dataType, shape: t.dims });
      const v = this.tensorValues.get(t);
      if (v) this.values.set(t.name, v);
    }
    for (const s of graph.sparseInitializers) {
      initNames.add(s.values.name);
      this.tensors.set(s.values.name, { dtype: s.values.dataType, shape: s.dims });
    }
    graph.inputs.forEach((v, i) => {
      if (initNames.has(v.name)) return;
      const declared = typeToInfo(v.type);
      const given = inputs[i];
      this.tensors.set(v.name, given ? mergeInfo(given, declared) : declared);
    });
    const annotations = new Map<string, TypeProto>();
    if (!this.options.ignoreAnnotations) {
      for (const v of graph.valueInfo) if (v.type) annotations.set(v.name, v.type);
      for (const v of graph.outputs) if (v.type) annotations.set(v.name, v.type);
    }
    const check = checkOrder(graph, this.tensors);
    const problem = (node: string, opType: string, message: string) => this.problems.push({ node, opType, graph: path, message });
    if (check.cycle) problem(check.cycle[0] ?? '', '', `cycle through ${check.cycle.join(' -> ')}; the nodes on it stay unknown`);
    for (const d of check.dangling) problem(d.node, '', `input '${d.input}' is produced by no node, graph input or initializer`);
    // The order is cached per graph: this adds the nodes it misses (cycle, dangling) without a copy when complete.
    for (const i of lenientOrder(graph, this.tensors)) {
      this.options.signal?.throwIfAborted();
      this.runNode(graph.nodes[i] as Node, i, path, annotations);
    }
    return graph.outputs.map((v) => {
      const inferred = this.tensors.get(v.name) ?? { dtype: undefined, shape: undefined };
      return this.options.ignoreAnnotations ? inferred : mergeInfo(inferred, typeToInfo(v.type));
    });
  }

  private runNode(node: Node, index: number, path: string, annotations: ReadonlyMap<string, TypeProto>): void {
    const label = nodeLabel(node, index);
    const fn = calledFunction(this.functions, node);
    if (fn && this.functionDepth < 16) {
      this.runFunction(node, fn, label, path, annotations);
      return;
    }
    const handler = opHandler(node.domain, node.opType);
    let outputs: ReadonlyArray<OpOutput | undefined> = [];
    const problem = (message: string) => this.problems.push({ node: label, opType: node.opType, graph: path, message });
    if (!handler) problem(`no shape rule for ${node.domain ? `${node.domain}.` : ''}${node.opType}; outputs unknown`);
    else {
      try {
        outputs = handler(this.context(node, label, path, problem));
      } catch (e) {
        if (this.options.signal?.aborted) throw e;
        problem(`shape rule failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const o = outputs[i];
      let info: TensorInfo = o?.container ? { dtype: o.dtype, shape: o.shape, container: o.container } : { dtype: o?.dtype, shape: o?.shape };
      const note = annotations.get(name);
      if (note) info = mergeInfo(info, typeToInfo(note), (m) => problem(`${name}: ${m}`));
      this.tensors.set(name, info);
      if (o?.value && o.value.data.length <= this.maxFold) this.values.set(name, o.value);
    });
  }

  /**
   * A call of a model-local function (e.g. PyTorch dynamo exports): its body is inferred in
   * place, internal tensors named under the call (`<path>/<node>::<name>`, see callPrefix).
   */
  private runFunction(call: Node, fn: FunctionProto, label: string, path: string, annotations: ReadonlyMap<string, TypeProto>): void {
    const prefix = callPrefix(path, label);
    this.functionDepth++;
    try {
      instantiateFunction(call, fn, prefix).forEach((n, i) => {
        this.runNode(n, i, prefix, n.outputs.some((o) => annotations.has(o)) ? annotations : new Map());
      });
    } finally {
      this.functionDepth--;
    }
  }

  private context(node: Node, label: string, path: string, problem: (m: string) => void): OpContext {
    return new NodeContext(this, node, label, path, this.opsetOf(node.domain), problem);
  }

  /** Used by NodeContext. */
  nextFresh(): number {
    return this.freshCount++;
  }

  tensorValueOf(t: Tensor): ConstValue | undefined {
    return this.tensorValues.get(t);
  }

  get foldLimit(): number {
    return this.maxFold;
  }
}

/** The OpContext of one node (a class: one small object per node, no closures). */
class NodeContext implements OpContext {
  readonly maxFold: number;

  constructor(
    private readonly engine: Inference,
    readonly node: Node,
    private readonly label: string,
    private readonly path: string,
    readonly opset: number,
    readonly problem: (message: string) => void,
  ) {
    this.maxFold = engine.foldLimit;
  }

  private name(i: number): string {
    return this.node.inputs[i] ?? '';
  }

  has(i: number): boolean {
    return this.name(i) !== '';
  }

  info(i: number): TensorInfo | undefined {
    const n = this.name(i);
    return n ? this.engine.tensors.get(n) : undefined;
  }

  shape(i: number): readonly Dim[] | undefined {
    return this.info(i)?.shape;
  }

  dtype(i: number): DataType | undefined {
    return this.info(i)?.dtype;
  }

  value(i: number): ConstValue | undefined {
    const n = this.name(i);
    return n ? this.engine.values.get(n) : undefined;
  }

  attr(name: string): AttributeValue | undefined {
    return attrValue(this.node, name);
  }

  int(name: string, fallback: number): number {
    const a = attrValue(this.node, name);
    return a?.type === 'int' ? Number(a.value) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = attrValue(this.node, name);
    return a?.type === 'ints' ? a.value.map(Number) : undefined;
  }

  float(name: string, fallback: number): number {
    const a = attrValue(this.node, name);
    return a?.type === 'float' ? a.value : fallback;
  }

  floats(name: string): number[] | undefined {
    const a = attrValue(this.node, name);
    return a?.type === 'floats' ? [...a.value] : undefined;
  }

  str(name: string, fallback: string): string {
    const a = attrValue(this.node, name);
    return a?.type === 'string' ? utf8.decode(a.value) : fallback;
  }

  graph(name: string): Graph | undefined {
    const a = attrValue(this.node, name);
    return a?.type === 'graph' ? a.value : undefined;
  }

  tensor(name: string): Tensor | undefined {
    const a = attrValue(this.node, name);
    return a?.type === 'tensor' ? a.value : undefined;
  }

  tensorValue(t: Tensor): ConstValue | undefined {
    return this.engine.tensorValueOf(t);
  }

  fresh(): string {
    return `${this.node.opType.toLowerCase()}_dim_${this.engine.nextFresh()}`;
  }

  inferSubgraph(g: Graph, inputs: ReadonlyArray<TensorInfo | undefined>, attribute: string): readonly TensorInfo[] {
    return this.engine.runGraph(g, `${this.path ? `${this.path}/` : ''}${this.label}/${attribute}`, inputs);
  }
}

/** Combines inferred and declared types: concrete beats symbolic beats unknown; conflicts are reported. */
export function mergeInfo(inferred: TensorInfo, declared: TensorInfo, report?: (message: string) => void): TensorInfo {
  const merged = mergeTensor(inferred, declared, report);
  const container = inferred.container ?? declared.container;
  return container ? { ...merged, container } : merged;
}

function mergeTensor(inferred: TensorInfo, declared: TensorInfo, report?: (message: string) => void): TensorInfo {
  const dtype = inferred.dtype ?? declared.dtype;
  if (inferred.dtype !== undefined && declared.dtype !== undefined && inferred.dtype !== declared.dtype) {
    report?.(`declared element type ${declared.dtype} differs from inferred ${inferred.dtype}`);
  }
  if (!declared.shape) return { dtype, shape: inferred.shape };
  if (!inferred.shape) return { dtype, shape: declared.shape };
  const ds = declared.shape;
  if (ds.length !== inferred.shape.length) {
    report?.(`declared shape ${fmtShape(ds)} has a different rank from inferred ${fmtShape(inferred.shape)}`);
    return { dtype, shape: inferred.shape };
  }
  const shape: Dim[] = inferred.shape.map((d, i) => {
    const e = ds[i];
    if (typeof d === 'number' && typeof e === 'number' && d !== e) report?.(`declared dim ${i} is ${e}, inferred ${d}`);
    return mergeDim(d, e);
  });
  return { dtype, shape };
}
