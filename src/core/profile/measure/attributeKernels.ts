/**
 * Which model node each onnxruntime kernel belongs to. onnxruntime optimises the graph before
 * it runs it, and the profile names the optimised graph's kernels:
 * - an untouched node keeps the model's node name;
 * - the NCHWc layout pass names a kernel after its output tensor plus `_nchwc`
 *   (`/stem/conv1/relu_output_0_nchwc`: a Conv with its Relu fused in);
 * - fusions append a `/<Kind>Fusion/` segment to the first fused node's name
 *   (`/ln1/Mul/LayerNormFusion/`, `/qk/MatmulTransposeFusion//MatMulScaleFusion/`, `/fc/MatMul/MatMulAddFusion`)
 *   or prefix `fused ` (`fused /head/fc/Gemm`);
 * - nodes onnxruntime inserts (`ReorderOutput`, `BiasGelu`, `Unsqueeze_2`) and renamed copies
 *   (`..._token_15`) match nothing and are reported as unattributed.
 * A kernel named after a tensor whose producer is of another op (the Relu after a Conv) is
 * attributed to the nearest producer up the data path with the kernel's op, and covers the
 * nodes in between.
 */
import type { Graph } from '../../onnx/model';
import { graphMaps } from '../../onnx/graph';
import { nodeLabel } from '../../onnx/graph/subgraphs';
import type { TracedKernel } from './ortTrace';

export interface MeasuredLayer {
  /** The model node the time is attributed to (its name, or `Op#index` when unnamed). */
  readonly node: string;
  readonly op: string;
  /** Median time per run, ms (summed over the kernels attributed to the node). */
  readonly ms: number;
  /** Other model nodes onnxruntime ran inside the same kernel(s), e.g. a fused Relu. */
  readonly covers: readonly string[];
  /** The onnxruntime kernel names, as in its profile. */
  readonly kernels: readonly string[];
}

export interface KernelAttribution {
  /** In model node order. */
  readonly layers: readonly MeasuredLayer[];
  /** Kernels that match no model node (inserted by onnxruntime), with their time. */
  readonly unattributed: ReadonlyArray<{ readonly kernel: string; readonly op: string; readonly ms: number }>;
}

const fusionSegment = /\/+[A-Za-z0-9]*Fusion\/*$/;

/** Names to try for a kernel, most specific first. */
function candidateNames(kernel: string): string[] {
  const names = [kernel];
  let name = kernel;
  if (name.startsWith('fused ')) names.push((name = name.slice('fused '.length)));
  while (fusionSegment.test(name)) names.push((name = name.replace(fusionSegment, '')));
  for (const suffix of ['_nchwc']) if (name.endsWith(suffix)) names.push(name.slice(0, -suffix.length));
  return names;
}

function sameOp(kernelOp: string, nodeOp: string): boolean {
  return kernelOp === nodeOp || kernelOp === `Fused${nodeOp}` || kernelOp === `QLinear${nodeOp}`;
}

export function attributeKernels(graph: Graph, kernels: readonly TracedKernel[]): KernelAttribution {
  const maps = graphMaps(graph);
  const byName = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    byName.set(nodeLabel(n, i), i);
  });
  const found = new Map<number, { ms: number; kernels: string[]; covers: Set<number> }>();
  const unattributed: Array<{ kernel: string; op: string; ms: number }> = [];
  for (const k of kernels) {
    let index: number | undefined;
    for (const candidate of candidateNames(k.name)) {
      index = byName.get(candidate) ?? maps.producers.get(candidate)?.node;
      if (index !== undefined) break;
    }
    if (index === undefined) {
      unattributed.push({ kernel: k.name, op: k.op, ms: k.ms });
      continue;
    }
    // A kernel named after a later node of a fused chain: walk up the first data input to the node of the kernel's op.
    const covers = new Set<number>();
    let at = index;
    const chain: number[] = [];
    for (let step = 0; step < 8 && !sameOp(k.op, graph.nodes[at]!.opType); step++) {
      chain.push(at);
      const first = graph.nodes[at]!.inputs.find((name) => name !== '' && !maps.initializers.has(name));
      const producer = first === undefined ? undefined : maps.producers.get(first)?.node;
      if (producer === undefined) break;
      at = producer;
    }
    if (sameOp(k.op, graph.nodes[at]!.opType)) {
      for (const c of chain) covers.add(c);
      index = at;
    }
    const entry = found.get(index) ?? { ms: 0, kernels: [], covers: new Set<number>() };
    entry.ms += k.ms;
    entry.kernels.push(k.name);
    for (const c of covers) entry.covers.add(c);
    found.set(index, entry);
  }
  const layers = [...found.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, e]) => ({
      node: nodeLabel(graph.nodes[i]!, i),
      op: graph.nodes[i]!.opType,
      ms: e.ms,
      covers: [...e.covers].sort((a, b) => a - b).map((c) => nodeLabel(graph.nodes[c]!, c)),
      kernels: e.kernels,
    }));
  return { layers, unattributed };
}
