import type { Graph, Node } from '../model';
import { graphMaps, type GraphMaps } from './maps';

export type FusionKind = 'conv-bn-relu' | 'conv-bn' | 'conv-relu' | 'matmul-add' | 'attention' | 'layernorm';

export interface FusionMatch {
  readonly kind: FusionKind;
  /** Node indices (in graph.nodes) of the matched group, in dataflow order. */
  readonly nodes: readonly number[];
}

const activations = new Set(['Relu', 'Clip', 'LeakyRelu', 'HardSwish', 'Sigmoid']);

/**
 * Finds fusable groups in one graph: Conv+BatchNormalization(+activation), Conv+activation,
 * MatMul+Add (bias), scaled dot-product attention (MatMul -> Div|Mul -> [Add mask] -> Softmax ->
 * MatMul) and LayerNorm decomposed into ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div(/Mul/Add).
 * Intermediate tensors must have a single reader and not be graph outputs (otherwise fusing
 * would change what the graph exposes). Each node belongs to at most one match; larger
 * patterns are matched first.
 */
export function findFusions(graph: Graph, maps: GraphMaps = graphMaps(graph)): FusionMatch[] {
  const m = new Matcher(graph, maps);
  const out: FusionMatch[] = [];
  const take = (kind: FusionKind, nodes: readonly number[] | undefined) => {
    if (!nodes || nodes.some((n) => m.used.has(n))) return;
    for (const n of nodes) m.used.add(n);
    out.push({ kind, nodes });
  };
  graph.nodes.forEach((n, i) => n.opType === 'Div' && take('layernorm', m.layerNorm(i)));
  graph.nodes.forEach((n, i) => n.opType === 'Softmax' && take('attention', m.attention(i)));
  graph.nodes.forEach((n, i) => {
    if (n.opType !== 'Conv') return;
    const bn = m.next(i, 'BatchNormalization');
    if (bn !== undefined) {
      const act = m.nextOf(bn, activations);
      take(act !== undefined ? 'conv-bn-relu' : 'conv-bn', act !== undefined ? [i, bn, act] : [i, bn]);
      return;
    }
    const act = m.nextOf(i, activations);
    if (act !== undefined) take('conv-relu', [i, act]);
  });
  graph.nodes.forEach((n, i) => {
    if (n.opType !== 'MatMul') return;
    const add = m.next(i, 'Add');
    if (add !== undefined && m.otherInputIsConstant(add, n.outputs[0] ?? '')) take('matmul-add', [i, add]);
  });
  return out.sort((x, y) => (x.nodes[0] ?? 0) - (y.nodes[0] ?? 0));
}

class Matcher {
  readonly used = new Set<number>();
  private readonly constants = new Set<string>();

  constructor(private readonly graph: Graph, private readonly maps: GraphMaps) {
    for (const t of maps.initializers) this.constants.add(t);
    graph.nodes.forEach((n) => n.opType === 'Constant' && n.outputs.forEach((o) => this.constants.add(o)));
  }

  private node(i: number | undefined): Node | undefined {
    return i === undefined ? undefined : this.graph.nodes[i];
  }

  /** The only reader of node i's first output, when the tensor is internal. */
  private soleReader(i: number): number | undefined {
    const out = this.node(i)?.outputs[0];
    if (!out || this.maps.graphOutputs.has(out)) return undefined;
    const uses = this.maps.consumers.get(out) ?? [];
    return uses.length === 1 ? uses[0]?.node : undefined;
  }

  next(i: number, opType: string): number | undefined {
    const r = this.soleReader(i);
    return this.node(r)?.opType === opType ? r : undefined;
  }

  nextOf(i: number, opTypes: ReadonlySet<string>): number | undefined {
    const r = this.soleReader(i);
    const n = this.node(r);
    return n && opTypes.has(n.opType) ? r : undefined;
  }

  /** Producer of input k of node i, when its output has no other reader. */
  private exclusiveProducer(i: number, k: number, opTypes: readonly string[]): number | undefined {
    const name = this.node(i)?.inputs[k];
    const p = name ? this.maps.producers.get(name)?.node : undefined;
    const n = this.node(p);
    if (p === undefined || !n || !opTypes.includes(n.opType)) return undefined;
    return this.soleReader(p) === i ? p : undefined;
  }

  private producer(name: string | undefined): number | undefined {
    return name ? this.maps.producers.get(name)?.node : undefined;
  }

  otherInputIsConstant(i: number, tensor: string): boolean {
    const n = this.node(i);
    const other = n?.inputs.find((x) => x !== tensor);
    return other !== undefined && this.constants.has(other);
  }

  /** MatMul -> Div|Mul (scale) -> [Add (mask)] -> Softmax -> MatMul, anchored on the Softmax. */
  attention(softmax: number): number[] | undefined {
    let at = softmax;
    const before: number[] = [];
    const add = this.exclusiveProducer(at, 0, ['Add']);
    if (add !== undefined) {
      before.unshift(add);
      at = add;
    }
    let scale = this.exclusiveProducer(at, 0, ['Div', 'Mul']);
    if (scale === undefined && add !== undefined) scale = this.exclusiveProducer(at, 1, ['Div', 'Mul']);
    if (scale === undefined) return undefined;
    before.unshift(scale);
    const qk = this.exclusiveProducer(scale, 0, ['MatMul']);
    if (qk === undefined) return undefined;
    before.unshift(qk);
    let after = this.soleReader(softmax);
    const tail: number[] = [];
    const maybeCast = this.node(after);
    if (maybeCast && (maybeCast.opType === 'Cast' || maybeCast.opType === 'Dropout') && after !== undefined) {
      tail.push(after);
      after = this.soleReader(after);
    }
    const pv = this.node(after);
    if (after === undefined || pv?.opType !== 'MatMul') return undefined;
    return [...before, softmax, ...tail, after];
  }

  /**
   * x -> ReduceMean -> Sub(x, mean) -> Pow(d, 2) -> ReduceMean -> Add(eps) -> Sqrt -> Div(d, std)
   * [-> Mul(gamma) -> Add(beta)], anchored on the Div. Pow may also be Mul(d, d).
   */
  layerNorm(div: number): number[] | undefined {
    const d = this.node(div);
    if (!d) return undefined;
    const sub = this.producer(d.inputs[0]);
    const subNode = this.node(sub);
    if (sub === undefined || subNode?.opType !== 'Sub') return undefined;
    const sqrt = this.exclusiveProducer(div, 1, ['Sqrt']);
    if (sqrt === undefined) return undefined;
    const addEps = this.exclusiveProducer(sqrt, 0, ['Add']);
    if (addEps === undefined) return undefined;
    const addNode = this.node(addEps);
    const varIdx = addNode?.inputs.findIndex((x) => this.node(this.producer(x))?.opType === 'ReduceMean') ?? -1;
    if (varIdx < 0) return undefined;
    const varMean = this.exclusiveProducer(addEps, varIdx, ['ReduceMean']);
    if (varMean === undefined) return undefined;
    const pow = this.exclusiveProducer(varMean, 0, ['Pow', 'Mul']);
    const powNode = this.node(pow);
    if (pow === undefined || !powNode || powNode.inputs[0] !== subNode.outputs[0]) return undefined;
    if (powNode.opType === 'Mul' && powNode.inputs[1] !== subNode.outputs[0]) return undefined;
    const mean = this.producer(subNode.inputs[1]);
    const meanNode = this.node(mean);
    if (mean === undefined || meanNode?.opType !== 'ReduceMean' || meanNode.inputs[0] !== subNode.inputs[0]) return undefined;
    // The Sub output feeds exactly the Pow (or Mul) and the Div.
    const subUses = new Set((this.maps.consumers.get(subNode.outputs[0] ?? '') ?? []).map((u) => u.node));
    if (subUses.size !== 2 || !subUses.has(pow) || !subUses.has(div)) return undefined;
    const group = [mean, sub, pow, varMean, addEps, sqrt, div];
    const scale = this.next(div, 'Mul');
    if (scale !== undefined) {
      group.push(scale);
      const shift = this.next(scale, 'Add');
      if (shift !== undefined) group.push(shift);
    }
    return group;
  }
}
