import type { Graph } from '../model';
import { byteSize } from '../shape/dtypes';
import type { ShapeInferenceResult } from '../shape/types';
import { graphMaps } from './maps';

export type TensorKind = 'input' | 'initializer' | 'activation' | 'output';

export interface TensorLifetime {
  readonly name: string;
  readonly kind: TensorKind;
  /** Position in the execution order of the producing node; -1 for graph inputs and initializers. */
  readonly firstProducer: number;
  /** Position of the last reader; `order.length` for graph outputs (live to the end); = firstProducer when never read. */
  readonly lastConsumer: number;
  /** Storage bytes; undefined when the shape or type is unknown. */
  readonly bytes: number | undefined;
}

/**
 * Lifetime of every tensor of one graph over an execution order (from topologicalOrder), for
 * memory planning. Positions index into `order`, not into graph.nodes.
 */
export function tensorLifetimes(graph: Graph, order: readonly number[], shapes?: ShapeInferenceResult): TensorLifetime[] {
  const maps = graphMaps(graph);
  const position = new Map<number, number>();
  order.forEach((nodeIndex, pos) => position.set(nodeIndex, pos));
  const names = new Set<string>([...maps.graphInputs, ...maps.initializers, ...maps.producers.keys()]);
  const out: TensorLifetime[] = [];
  for (const name of names) {
    const producer = maps.producers.get(name);
    const first = producer ? position.get(producer.node) ?? -1 : -1;
    let last = first;
    for (const use of maps.consumers.get(name) ?? []) last = Math.max(last, position.get(use.node) ?? last);
    const isOutput = maps.graphOutputs.has(name);
    if (isOutput) last = order.length;
    const kind: TensorKind = maps.initializers.has(name) ? 'initializer' : maps.graphInputs.has(name) ? 'input' : isOutput ? 'output' : 'activation';
    const info = shapes?.tensors.get(name);
    let n: number | undefined = 1;
    for (const d of info?.shape ?? [undefined]) n = typeof d === 'number' && n !== undefined ? n * d : undefined;
    out.push({ name, kind, firstProducer: first, lastConsumer: last, bytes: n === undefined || info?.container ? undefined : byteSize(info?.dtype, n) });
  }
  return out;
}

export interface PeakMemory {
  /** Largest sum of live activation bytes (inputs, activations, outputs; not initializers) at any step. */
  readonly bytes: number;
  /** Position in the order where the peak happens. */
  readonly at: number;
  /** Live tensors of unknown size that were left out of the sum: the peak is a lower bound when > 0. */
  readonly unknownTensors: number;
}

/** Peak live activation memory when every tensor is freed right after its last reader. */
export function peakActivationMemory(lifetimes: readonly TensorLifetime[], steps: number): PeakMemory {
  const delta = new Array<number>(steps + 2).fill(0);
  let unknownTensors = 0;
  for (const t of lifetimes) {
    if (t.kind === 'initializer') continue;
    if (t.bytes === undefined) {
      unknownTensors++;
      continue;
    }
    const from = Math.max(0, t.firstProducer);
    const to = Math.min(steps, t.lastConsumer);
    delta[from] = (delta[from] ?? 0) + t.bytes;
    delta[to + 1] = (delta[to + 1] ?? 0) - t.bytes;
  }
  let live = 0;
  let bytes = 0;
  let at = 0;
  for (let i = 0; i <= steps; i++) {
    live += delta[i] ?? 0;
    if (live > bytes) {
      bytes = live;
      at = i;
    }
  }
  return { bytes, at, unknownTensors };
}
