import type { Dim, Graph, Model, Node } from '../onnx/model';
import { modelCost, type ModelCost, type NodeCost } from '../onnx/cost';
import { inferShapes, type ShapeInferenceResult } from '../onnx/shape';
import type { GivenInputSizes } from '../../protocol/graphMessages';
import type { GraphPayload, Overlay } from '../../protocol/graphPayload';
import { toColumns, type GraphRows, type NodeRow, type TensorRow } from '../../protocol/graphRows';
import { nodeReads } from '../onnx/graph/subgraphs';
import { attributeView } from './attributes';
import { buildGroups, defaultGroupingLimits, nameScope, type GroupingLimits } from './scopes';
import { declaredTypes, inferredTypes, type TensorType, type TensorTypes } from './tensorTypes';

export interface BuildOptions {
  /** Shown as the view title (usually the file name). */
  readonly title: string;
  readonly grouping?: GroupingLimits;
  /** Sizes for dynamic input dims (values the user set in the view); unset dims keep the model's. */
  readonly inputSizes?: GivenInputSizes;
  readonly signal?: AbortSignal;
}

/** What the engine knows about a model beyond its file: inferred shapes and per-node cost. */
export interface ModelAnalysis {
  readonly shapes?: ShapeInferenceResult;
  readonly cost?: ModelCost;
  /** Why an analysis is missing (shown to the user), when it failed. */
  readonly problems: readonly string[];
}

/** Runs the engine's shape inference and cost model; a failure leaves that part out and says why. */
export async function analyzeModel(model: Model, signal?: AbortSignal, given?: GivenInputSizes): Promise<ModelAnalysis> {
  const problems: string[] = [];
  let shapes: ShapeInferenceResult | undefined;
  let cost: ModelCost | undefined;
  try {
    shapes = await inferShapes(model, { ...(given ? { inputShapes: inputShapes(model, given) } : {}), ...(signal ? { signal } : {}) });
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
  return { ...(shapes ? { shapes } : {}), ...(cost ? { cost } : {}), problems };
}

/** Given sizes as shape-inference input shapes: unset dims keep the declared symbol (or stay unknown). */
function inputShapes(model: Model, given: GivenInputSizes): Record<string, Dim[]> {
  const shapes: Record<string, Dim[]> = {};
  for (const v of model.graph.inputs) {
    const sizes = given[v.name];
    if (!sizes) continue;
    const declared = v.type?.kind === 'tensor' ? v.type.shape : undefined;
    shapes[v.name] = sizes.map((size, i) => size ?? declared?.[i]);
  }
  return shapes;
}

/** Analyses the model, then builds its payload. */
export async function buildModelPayload(model: Model, options: BuildOptions): Promise<GraphPayload> {
  return buildGraphPayload(model, await analyzeModel(model, options.signal, options.inputSizes), options);
}

interface Lookups {
  readonly inferred?: (name: string) => TensorType | undefined;
  readonly cost?: ReadonlyMap<Node, NodeCost>;
}

/** Builds the webview's graph payload: the main graph and every If/Loop/Scan body. */
export function buildGraphPayload(model: Model, analysis: ModelAnalysis, options: BuildOptions): GraphPayload {
  const graphs: GraphRows[] = [];
  const lookups: Lookups = {
    ...(analysis.shapes ? { inferred: inferredTypes(analysis.shapes) } : {}),
    ...(analysis.cost ? { cost: new Map(analysis.cost.nodes.map((e) => [e.node, e.cost])) } : {}),
  };
  addGraph(model.graph, 'main', model.graph.name || 'main', null, undefined, graphs, lookups, options);
  return {
    version: 1,
    title: options.title,
    model: {
      irVersion: model.irVersion.toString(),
      opsets: model.opsetImports.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version.toString() })),
      producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
      doc: model.docString ?? '',
      metadata: model.metadataProps.map((p) => ({ key: p.key, value: p.value })),
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
  graphs: GraphRows[],
  lookups: Lookups,
  options: BuildOptions,
): number {
  options.signal?.throwIfAborted();
  const declared = declaredTypes(graph, outer);
  const typeOf = (name: string): TensorType | undefined => lookups.inferred?.(name) ?? declared.get(name);

  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const tensors: TensorRow[] = [];
  const tensorIndex = new Map<string, number>();
  const tensorOf = (name: string): number => {
    let index = tensorIndex.get(name);
    if (index === undefined) {
      index = tensors.length;
      tensorIndex.set(name, index);
      const type = typeOf(name);
      const init = initializers.get(name);
      tensors.push({
        name,
        dtype: type?.dtype ?? '',
        shape: type?.shape ?? null,
        producer: -1,
        initializer: init !== undefined,
        elements: init ? init.dims.reduce((a, b) => a * b, 1) : 0,
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
      params: cost?.params ?? 0,
      subgraphs: [],
    });
    pending.push({ node, index });
  }
  for (const output of graph.outputs) {
    scopes.push([]);
    nodes.push(pseudoNode('output', output.name, [tensorOf(output.name)], [], output.docString));
  }

  const { groups, nodeGroup } = buildGroups(scopes, options.grouping ?? defaultGroupingLimits);
  nodes.forEach((n, i) => (n.group = nodeGroup[i]!));

  const self = graphs.length;
  graphs.push({ id, title, owner, nodes, tensors, groups });

  for (const { node, index } of pending) {
    const label = node.name || `${node.opType}#${index}`;
    for (const attr of node.attributes) {
      const bodies = attr.value.type === 'graph' ? [attr.value.value] : attr.value.type === 'graphs' ? attr.value.value : [];
      bodies.forEach((body, k) => {
        const attribute = bodies.length > 1 ? `${attr.name}[${k}]` : attr.name;
        const child = addGraph(body, `${id}/${label}/${attribute}`, `${label} › ${attribute}`, { graph: self, node: index, attribute }, declared, graphs, lookups, options);
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
  };
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
