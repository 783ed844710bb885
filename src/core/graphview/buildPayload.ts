import type { Graph, Model, Node } from '../onnx/model';
import type { GraphPayload, Overlay } from '../../protocol/graphPayload';
import { toColumns, type GraphRows, type NodeRow, type TensorRow } from '../../protocol/graphRows';
import { attributeView } from './attributes';
import { elementCount, nodeFlops } from './cost';
import { buildGroups, defaultGroupingLimits, nameScope, type GroupingLimits } from './scopes';
import { declaredTypes, type TensorType, type TensorTypes } from './tensorTypes';

export interface BuildOptions {
  /** Shown as the view title (usually the file name). */
  readonly title: string;
  readonly grouping?: GroupingLimits;
  /**
   * Types of the graph's tensors beyond what the file declares (shape inference). Called
   * once per graph with the declared types, including outer scope ones for subgraphs.
   */
  readonly inferTypes?: (graph: Graph, declared: TensorTypes) => TensorTypes;
  readonly signal?: AbortSignal;
}

/** Builds the webview's graph payload: the main graph and every If/Loop/Scan body. */
export function buildGraphPayload(model: Model, options: BuildOptions): GraphPayload {
  const graphs: GraphRows[] = [];
  addGraph(model.graph, 'main', model.graph.name || 'main', null, undefined, graphs, options);
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
  options: BuildOptions,
): number {
  options.signal?.throwIfAborted();
  const declared = declaredTypes(graph, outer);
  const inferred = options.inferTypes?.(graph, declared);
  const typeOf = (name: string): TensorType | undefined => declared.get(name) ?? inferred?.get(name);

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
        elements: init ? (elementCount(init.dims) ?? 0) : 0,
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
    const outputs = node.outputs.map((name) => {
      const t = tensorOf(name);
      tensors[t]!.producer = index;
      return t;
    });
    let params = 0;
    for (const t of inputs) if (t >= 0 && tensors[t]!.initializer) params += tensors[t]!.elements;
    scopes.push(nameScope(node.name, node.outputs[0]));
    nodes.push({
      name: node.name,
      op: node.opType,
      domain: node.domain,
      kind: 'op',
      inputs,
      outputs,
      attributes: node.attributes.map(attributeView),
      ...(node.docString ? { doc: node.docString } : {}),
      group: 0,
      flops: nodeFlops(node, typeOf),
      params,
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

  const scopeTypes = new Map(declared);
  if (inferred) for (const [k, v] of inferred) if (!scopeTypes.has(k)) scopeTypes.set(k, v);
  for (const { node, index } of pending) {
    const label = node.name || `${node.opType}#${index}`;
    for (const attr of node.attributes) {
      const bodies = attr.value.type === 'graph' ? [attr.value.value] : attr.value.type === 'graphs' ? attr.value.value : [];
      bodies.forEach((body, k) => {
        const attribute = bodies.length > 1 ? `${attr.name}[${k}]` : attr.name;
        const child = addGraph(body, `${id}/${label}/${attribute}`, `${label} › ${attribute}`, { graph: self, node: index, attribute }, scopeTypes, graphs, options);
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
