import { modelCostTotals, type ModelCostTotals } from './cost';
import { nodeSubgraphs } from './graph/subgraphs';
import type { Dim, Graph, Model, TypeProto } from './model';
import { dtypeName } from './shape/dtypes';
import { inferShapes } from './shape/infer';
import { resolveInputSizes, type ResolvedInputSizes } from './shape/inputSizes';
import type { ShapeInferenceResult, ShapeProblem, TensorInfo } from './shape/types';
import { nameRecord, ownValue } from '../safeRecord';

export interface TensorSummary {
  readonly name: string;
  /** 'float32', 'int64', ...; 'sequence<float32>' for sequences; 'unknown' when not inferred. */
  readonly dtype: string;
  /** null: rank unknown; a null dim: size unknown; a string dim: symbolic. */
  readonly shape: ReadonlyArray<number | string | null> | null;
}

export interface TensorShapeEntry extends TensorSummary {
  readonly kind: 'input' | 'initializer' | 'activation' | 'output';
}

/** What `aios inspect --json` prints (SPEC §3). */
export interface InspectSummary {
  readonly irVersion: number;
  readonly producer: { readonly name: string; readonly version: string } | null;
  /** Domain ('ai.onnx' for the default one) -> opset version. */
  readonly opsets: Readonly<Record<string, number>>;
  /** Nodes of the main graph. */
  readonly nodes: number;
  /** Nodes of the main graph and of every subgraph. */
  readonly allNodes: number;
  /** Op type -> count over all nodes (subgraphs included); ops of other domains as `domain.Op`. */
  readonly opHistogram: Readonly<Record<string, number>>;
  readonly inputs: readonly TensorSummary[];
  readonly outputs: readonly TensorSummary[];
  /** Initializers of the main graph. */
  readonly initializers: number;
  /** Initializer elements plus Constant-node tensor elements, over every graph. */
  readonly params: number;
  readonly paramsInInitializers: number;
  readonly paramsInConstants: number;
  readonly macs: number;
  /** FLOPs of the nodes whose cost is known; a lower bound when unknownCostNodes > 0. */
  readonly flops: number;
  readonly unknownCostNodes: number;
  readonly weightBytes: number;
  readonly weightBytesByDtype: Readonly<Record<string, number>>;
  readonly shapeProblems: readonly ShapeProblem[];
  /**
   * The sizes shapes and FLOPs were computed for, per graph input: given with --input, fixed
   * in the model, or defaulted (batch 1, see core/onnx/shape/inputSizes.ts) for dynamic dims.
   */
  readonly inputSizes: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[] | null; readonly defaulted: boolean }>;
  readonly tensors?: readonly TensorShapeEntry[];
}

export interface InspectOptions {
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  /** Include the inferred shape of every tensor. */
  readonly tensors?: boolean;
  readonly signal?: AbortSignal;
}

export interface InspectResult {
  readonly summary: InspectSummary;
  readonly sizes: ResolvedInputSizes;
  readonly shapes: ShapeInferenceResult;
  readonly totals: ModelCostTotals;
}

/** Shape inference, cost and the summary of `aios inspect`, in one pass over an opened model. */
export async function inspectModel(model: Model, options: InspectOptions = {}): Promise<InspectResult> {
  const given = options.inputShapes ?? {};
  const sizes = resolveInputSizes(model.graph, given);
  // Given shapes win as given (inference reports a bad one); the others are resolved or defaulted.
  const inputShapes = { ...sizes.shapes, ...given };
  const shapes = await inferShapes(model, { inputShapes, ...(options.signal ? { signal: options.signal } : {}) });
  const totals = modelCostTotals(model, shapes);
  const g = model.graph;
  const initNames = new Set(g.initializers.map((t) => t.name));
  const opHistogram = nameRecord<number>();
  let allNodes = 0;
  const countOps = (graph: Graph) => {
    for (const n of graph.nodes) {
      allNodes++;
      const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      opHistogram[key] = (opHistogram[key] ?? 0) + 1;
      for (const { graph: sub } of nodeSubgraphs(n)) countOps(sub);
    }
  };
  countOps(g);
  const opsets = nameRecord<number>();
  for (const o of model.opsetImports) opsets[o.domain === '' ? 'ai.onnx' : o.domain] = Number(o.version);
  const describe = (name: string, declared?: TypeProto): TensorSummary => summarise(name, shapes.tensors.get(name) ?? fromType(declared));
  // Inputs show their declared dims unless given: defaulted sizes are listed in inputSizes.
  const describeInput = (name: string, declared?: TypeProto): TensorSummary => (ownValue(given, name) ? describe(name, declared) : summarise(name, fromType(declared)));
  const t = totals;
  const summary: InspectSummary = {
    irVersion: Number(model.irVersion),
    producer: model.producerName ? { name: model.producerName, version: model.producerVersion ?? '' } : null,
    opsets,
    nodes: g.nodes.length,
    allNodes,
    opHistogram: Object.fromEntries(Object.entries(opHistogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    inputs: g.inputs.filter((v) => !initNames.has(v.name)).map((v) => describeInput(v.name, v.type)),
    outputs: g.outputs.map((v) => describe(v.name, v.type)),
    initializers: g.initializers.length,
    params: t.params,
    paramsInInitializers: t.initializerParams,
    paramsInConstants: t.constantParams,
    macs: t.macs,
    flops: t.flops,
    unknownCostNodes: t.unknownCostNodes,
    weightBytes: t.weightBytes,
    weightBytesByDtype: t.weightBytesByDtype,
    shapeProblems: shapes.problems,
    inputSizes: sizes.inputs.map((i) => {
      const g = ownValue(given, i.name);
      if (!g) return { name: i.name, shape: i.dims, defaulted: i.sources.includes('default') };
      return { name: i.name, shape: g.every((d): d is number => typeof d === 'number') ? g : null, defaulted: false };
    }),
    ...(options.tensors ? { tensors: tensorEntries(model, shapes) } : {}),
  };
  return { summary, sizes, shapes, totals };
}

function fromType(type: TypeProto | undefined): TensorInfo {
  return type?.kind === 'tensor' ? { dtype: type.elemType || undefined, shape: type.shape } : { dtype: undefined, shape: undefined };
}

export function summarise(name: string, info: TensorInfo | undefined): TensorSummary {
  const base = dtypeName(info?.dtype);
  return {
    name,
    dtype: info?.container ? `${info.container}<${base}>` : base,
    shape: info?.shape ? info.shape.map((d) => (d === undefined || d === '' ? null : d)) : null,
  };
}

/** Every tensor of every graph: inputs, initializers, then node outputs in graph order. */
function tensorEntries(model: Model, shapes: ShapeInferenceResult): TensorShapeEntry[] {
  const out: TensorShapeEntry[] = [];
  const seen = new Set<string>();
  const add = (name: string, kind: TensorShapeEntry['kind']) => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    out.push({ ...summarise(name, shapes.tensors.get(name)), kind });
  };
  const visit = (g: Graph) => {
    const outputs = new Set(g.outputs.map((v) => v.name));
    for (const t of g.initializers) add(t.name, 'initializer');
    for (const v of g.inputs) add(v.name, 'input');
    for (const n of g.nodes) {
      for (const o of n.outputs) add(o, outputs.has(o) ? 'output' : 'activation');
      for (const { graph } of nodeSubgraphs(n)) visit(graph);
    }
  };
  visit(model.graph);
  return out;
}
