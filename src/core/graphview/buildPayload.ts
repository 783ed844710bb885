import type { Graph, Model, Node } from '../onnx/model';
import { modelCost, type ModelCost, type NodeCost } from '../onnx/cost';
import { inferShapes, type ShapeInferenceResult } from '../onnx/shape';
import type { GivenInputSizes } from '../../protocol/graphMessages';
import { resolveInputSizes, type ResolvedInputSizes } from '../onnx/shape/inputSizes';
import type { GraphPayload, ModelTotals, Overlay } from '../../protocol/graphPayload';
import { toColumns, type GraphRows, type NodeRow, type TensorRow } from '../../protocol/graphRows';
import { nodeReads } from '../onnx/graph/subgraphs';
import { attributeView } from './attributes';
import { findWeightNodes } from './fold';
import { buildGroups, defaultGroupingLimits, nameScope, type GroupingLimits } from './scopes';
import { declaredTypes, inferredTypes, type TensorType, type TensorTypes } from './tensorTypes';
import { smallWeightValues } from './weightValues';
import { checkDrawable } from './drawableSize';

export interface BuildOptions {
  /** Shown as the view title (usually the file name). */
  readonly title: string;
  readonly grouping?: GroupingLimits;
  /** Sizes for dynamic input dims (the user's values in the view, a use case's declared shape); unset dims are defaulted as `aios inspect` does. */
  readonly inputSizes?: GivenInputSizes;
  readonly signal?: AbortSignal;
}

/** What the engine knows about a model beyond its file: inferred shapes and per-node cost. */
export interface ModelAnalysis {
  readonly shapes?: ShapeInferenceResult;
  readonly cost?: ModelCost;
  /** The input sizes shapes and cost were computed for. */
  readonly sizes?: ResolvedInputSizes;
  /** Display values of small weights, by tensor name. */
  readonly values?: ReadonlyMap<string, string>;
  /** Why an analysis is missing (shown to the user), when it failed. */
  readonly problems: readonly string[];
}

/**
 * Runs the engine's shape inference (for the given input sizes, dynamic dims defaulted as
 * `aios inspect` does) and cost model; a failure leaves that part out and says why.
 */
export async function analyzeModel(model: Model, signal?: AbortSignal, given?: GivenInputSizes): Promise<ModelAnalysis> {
  const problems: string[] = [];
  let shapes: ShapeInferenceResult | undefined;
  let cost: ModelCost | undefined;
  const sizes = resolveInputSizes(model.graph, given);
  try {
    shapes = await inferShapes(model, { inputShapes: sizes.shapes, ...(signal ? { signal } : {}) });
  } catch (error) {
    signal?.throwIfAborted();
    problems.push(`shape inference failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (shapes) {
    try {
      cost = modelCost(model, shapes);
    } catch (error) {
      problems.push(`cost analysis failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const values = await smallWeightValues(model, shapes, signal);
  return { ...(shapes ? { shapes } : {}), ...(cost ? { cost } : {}), sizes, values, problems };
}

/** Analyses the model, then builds its payload. */
export async function buildModelPayload(model: Model, options: BuildOptions): Promise<GraphPayload> {
  checkDrawable(model, options.title);
  return buildGraphPayload(model, await analyzeModel(model, options.signal, options.inputSizes), options);
}

interface Lookups {
  readonly inferred?: (name: string) => TensorType | undefined;
  readonly cost?: ReadonlyMap<Node, NodeCost>;
  readonly values?: ReadonlyMap<string, string>;
}

/** The panel's model totals: the cost model's, as `aios inspect` prints them. */
function modelTotals(analysis: ModelAnalysis): ModelTotals | null {
  if (!analysis.cost) return null;
  const t = analysis.cost.totals;
  const anyKnown = analysis.cost.nodes.some((n) => n.cost.flops !== undefined);
  return {
    params: t.params,
    flops: anyKnown ? t.flops : null,
    macs: anyKnown ? t.macs : null,
    unknownCostNodes: t.unknownCostNodes,
    inputSizes: (analysis.sizes?.inputs ?? []).map((i) => ({ name: i.name, declared: i.declared ? [...i.declared] : null, dims: i.dims ? [...i.dims] : null, sources: [...i.sources] })),
  };
}

/** Builds the webview's graph payload: the main graph and every If/Loop/Scan body. */
export function buildGraphPayload(model: Model, analysis: ModelAnalysis, options: BuildOptions): GraphPayload {
  const graphs: GraphRows[] = [];
  const lookups: Lookups = {
    ...(analysis.shapes ? { inferred: inferredTypes(analysis.shapes) } : {}),
    ...(analysis.cost ? { cost: new Map(analysis.cost.nodes.map((e) => [e.node, e.cost])) } : {}),
    ...(analysis.values ? { values: analysis.values } : {}),
  };
  addGraph(model.graph, 'main', model.graph.name || 'main', null, undefined, new Set(), graphs, lookups, options);
  return {
    version: 1,
    title: options.title,
    model: {
      irVersion: model.irVersion.toString(),
      opsets: model.opsetImports.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version.toString() })),
      producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
      doc: model.docString ?? '',
      metadata: model.metadataProps.map((p) => ({ key: p.key, value: p.value })),
      totals: modelTotals(analysis),
    },
    graphs: graphs.map(toColumns),
    overlays: costOverlays(graphs),
    diff: null,
  };
}

function addGraph(
  graph: Graph,
  id: string,
  title: string,
  owner: GraphRows['owner'],
  outer: TensorTypes | undefined,
  outerWeights: ReadonlySet<string>,
  graphs: GraphRows[],
  lookups: Lookups,
  options: BuildOptions,
): number {
  options.signal?.throwIfAborted();
  const declared = declaredTypes(graph, outer);
  const typeOf = (name: string): TensorType | undefined => lookups.inferred?.(name) ?? declared.get(name);

  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const { folded, weights } = findWeightNodes(graph, outerWeights);
  const tensors: TensorRow[] = [];
  const tensorIndex = new Map<string, number>();
  const tensorOf = (name: string): number => {
    let index = tensorIndex.get(name);
    if (index === undefined) {
      index = tensors.length;
      tensorIndex.set(name, index);
      const type = typeOf(name);
      const init = initializers.get(name);
      const weight = weights.has(name);
      const value = weight ? lookups.values?.get(name) : undefined;
      tensors.push({
        name,
        dtype: type?.dtype ?? '',
        shape: type?.shape ?? null,
        producer: -1,
        initializer: init !== undefined,
        elements: init ? init.dims.reduce((a, b) => a * b, 1) : weight ? knownElements(type?.shape ?? null) : 0,
        weight,
        ...(value !== undefined ? { value } : {}),
      });
    }
    return index;
  };

  const nodes: NodeRow[] = [];
  const scopes: string[][] = [];
  const pending: Array<{ node: Node; index: number }> = [];
  for (const input of graph.inputs) {
    if (initializers.has(input.name)) continue;
    const t = tensorOf(input.name);
    tensors[t]!.producer = nodes.length;
    scopes.push([]);
    nodes.push(pseudoNode('input', input.name, [], [t], input.docString));
  }
  const firstOp = nodes.length;
  for (const node of graph.nodes) {
    const index = nodes.length;
    const inputs = node.inputs.map((name) => (name === '' ? -1 : tensorOf(name)));
    // Values an If/Loop/Scan body reads from this scope are edges into the node too.
    const declared = new Set(node.inputs);
    const captures = nodeReads(node).filter((name) => name !== '' && !declared.has(name));
    for (const name of captures) inputs.push(tensorOf(name));
    const outputs = node.outputs.map((name) => {
      const t = tensorOf(name);
      tensors[t]!.producer = index;
      return t;
    });
    const cost = lookups.cost?.get(node);
    scopes.push(nameScope(node.name, node.outputs[0]));
    nodes.push({
      name: node.name,
      op: node.opType,
      domain: node.domain,
      kind: 'op',
      inputs,
      ...(captures.length > 0 ? { captures: captures.length } : {}),
      outputs,
      attributes: node.attributes.map(attributeView),
      ...(node.docString ? { doc: node.docString } : {}),
      group: 0,
      flops: cost?.flops ?? null,
      params: weightElements(inputs, tensors),
      subgraphs: [],
      folded: folded.has(index - firstOp),
    });
    pending.push({ node, index });
  }
  const order = placeWeightNodes(nodes, tensors, scopes);
  for (const output of graph.outputs) {
    order.push(nodes.length);
    scopes.push([]);
    nodes.push(pseudoNode('output', output.name, [tensorOf(output.name)], [], output.docString));
  }

  const { groups, nodeGroup } = buildGroups(scopes, options.grouping ?? defaultGroupingLimits, {
    ops: nodes.map((n) => n.op),
    real: nodes.map((n) => n.kind === 'op' && !n.folded),
    order,
  });
  nodes.forEach((n, i) => (n.group = nodeGroup[i]!));

  const self = graphs.length;
  graphs.push({ id, title, owner, nodes, tensors, groups });

  for (const { node, index } of pending) {
    const label = node.name || `${node.opType}#${index}`;
    for (const attr of node.attributes) {
      const bodies = attr.value.type === 'graph' ? [attr.value.value] : attr.value.type === 'graphs' ? attr.value.value : [];
      bodies.forEach((body, k) => {
        const attribute = bodies.length > 1 ? `${attr.name}[${k}]` : attr.name;
        const child = addGraph(body, `${id}/${label}/${attribute}`, `${label} › ${attribute}`, { graph: self, node: index, attribute }, declared, weights, graphs, lookups, options);
        nodes[index]!.subgraphs.push({ attribute, graph: child });
      });
    }
  }
  return self;
}

function pseudoNode(kind: 'input' | 'output', name: string, inputs: number[], outputs: number[], doc: string | undefined): NodeRow {
  return {
    name,
    op: kind === 'input' ? 'Input' : 'Output',
    domain: '',
    kind,
    inputs,
    outputs,
    attributes: [],
    ...(doc ? { doc } : {}),
    group: 0,
    flops: null,
    params: 0,
    subgraphs: [],
    folded: false,
  };
}

function knownElements(shape: TensorRow['shape']): number {
  if (!shape) return 0;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return 0;
    n *= d;
  }
  return n;
}

/** A node's params: elements of its weight inputs (initializers and folded weights), each counted once. */
function weightElements(inputs: readonly number[], tensors: readonly TensorRow[]): number {
  let sum = 0;
  inputs.forEach((t, k) => {
    if (t >= 0 && tensors[t]!.weight && inputs.indexOf(t) === k) sum += tensors[t]!.elements;
  });
  return sum;
}

/**
 * A folded weight node belongs where it is used: it takes the scope of its first visible
 * consumer (so `conv2d_396.w_0` next to `conv2d_396`'s Conv, and shown weight nodes sit
 * beside their consumer), and its own scope when nothing visible uses it. Returns the node
 * order for grouping: each weight node just before the node it feeds.
 */
function placeWeightNodes(nodes: readonly NodeRow[], tensors: readonly TensorRow[], scopes: string[][]): number[] {
  const firstConsumer = new Int32Array(tensors.length).fill(-1);
  nodes.forEach((n, i) => {
    for (const t of n.inputs) if (t >= 0 && firstConsumer[t] === -1) firstConsumer[t] = i;
  });
  const anchor = new Int32Array(nodes.length).fill(-1);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!n.folded) continue;
    let consumer = -1;
    for (const t of n.outputs) {
      const c = firstConsumer[t]!;
      if (c >= 0 && (consumer === -1 || c < consumer)) consumer = c;
    }
    if (consumer >= 0) {
      scopes[i] = scopes[consumer]!;
      anchor[i] = nodes[consumer]!.folded ? anchor[consumer]! : consumer;
    }
  }
  const attached = new Map<number, number[]>();
  anchor.forEach((a, i) => {
    if (a < 0) return;
    const list = attached.get(a);
    if (list) list.push(i);
    else attached.set(a, [i]);
  });
  const order: number[] = [];
  nodes.forEach((n, i) => {
    if (n.folded && anchor[i]! >= 0) return;
    for (const k of attached.get(i) ?? []) order.push(k);
    order.push(i);
  });
  return order;
}

/** The FLOPs and params overlays of every graph (latency and quantization error arrive later as messages). */
function costOverlays(graphs: readonly GraphRows[]): Overlay[] {
  const overlays: Overlay[] = [];
  graphs.forEach((g, graph) => {
    const flops: Overlay = { id: 'flops', label: 'FLOPs', unit: 'FLOP', graph, nodes: [], values: [], scale: 'log' };
    const params: Overlay = { id: 'params', label: 'Parameters', unit: '', graph, nodes: [], values: [], scale: 'log' };
    g.nodes.forEach((n, i) => {
      if (n.kind !== 'op') return;
      if (n.flops !== null) {
        flops.nodes.push(i);
        flops.values.push(n.flops);
      }
      params.nodes.push(i);
      params.values.push(n.params);
    });
    overlays.push(flops, params);
  });
  return overlays;
}
