/**
 * Calibration for GPTQ: H = X^T X of each int4 MatMul's input X, summed over every row of
 * every calibration sample. The product is computed inside onnxruntime (Reshape to [rows, K],
 * Transpose, MatMul: K x K floats out per sample instead of rows x K), and summed in float64
 * into one [K, K] array per input tensor: MatMuls that share an input (q/k/v projections)
 * share it, and no array is allocated per sample.
 */
import { makeTensor } from '../onnx/builder';
import { DataType, type Model, type Node, type ValueInfo } from '../onnx/model';
import { toFloat32, type RuntimeTensor } from '../runtime';
import type { GlobMatcher } from '../usecase/glob';
import { int4Candidate } from './int4';
import { prepareModel } from './prepare';
import { freshNames } from './tensorValues';

export interface GramOutputs {
  /** The prepared model (as quantizeInt4 prepares it) with one [K, K] output per MatMul input. */
  readonly model: Model;
  /** MatMul input tensor -> the output holding X^T X for one sample, and K. */
  readonly grams: ReadonlyMap<string, { readonly output: string; readonly k: number }>;
}

/** The model to calibrate GPTQ with: `model` prepared, plus X^T X outputs for the inputs of the MatMul/Gemm nodes int4 quantizes. */
export async function addGramOutputs(model: Model, keepFloat: readonly GlobMatcher[], signal?: AbortSignal): Promise<GramOutputs> {
  const prepared = (await prepareModel(model, signal)).model;
  const graph = prepared.graph;
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const fresh = freshNames(graph);
  const grams = new Map<string, { output: string; k: number }>();
  const nodes: Node[] = [];
  const outputs: ValueInfo[] = [];
  const added = [];
  for (const node of graph.nodes) {
    if ((node.opType !== 'MatMul' && node.opType !== 'Gemm') || node.domain !== '' || keepFloat.some((g) => g.test(node.name))) continue;
    const found = int4Candidate(node, initializers);
    const x = node.inputs[0]!;
    if (typeof found === 'string' || grams.has(x)) continue;
    const k = found.transposed ? found.weight.dims[1]! : found.weight.dims[0]!;
    const shape = fresh(`${x}/aios_rows_shape`);
    added.push(makeTensor(shape, [2], BigInt64Array.of(-1n, BigInt(k))));
    const rows = fresh(`${x}/aios_rows`);
    const transposed = fresh(`${x}/aios_rows_t`);
    const output = fresh(`${x}/aios_gram`);
    nodes.push(
      { name: fresh(`${x}/aios_Reshape`), opType: 'Reshape', domain: '', inputs: [x, shape], outputs: [rows], attributes: [] },
      { name: fresh(`${x}/aios_Transpose`), opType: 'Transpose', domain: '', inputs: [rows], outputs: [transposed], attributes: [{ name: 'perm', value: { type: 'ints', value: [1n, 0n] } }] },
      { name: fresh(`${x}/aios_MatMul`), opType: 'MatMul', domain: '', inputs: [transposed, rows], outputs: [output], attributes: [] },
    );
    outputs.push({ name: output, type: { kind: 'tensor', elemType: DataType.FLOAT, shape: [k, k] } });
    grams.set(x, { output, k });
  }
  return { model: { ...prepared, graph: { ...graph, nodes: [...graph.nodes, ...nodes], initializers: [...graph.initializers, ...added], outputs: [...graph.outputs, ...outputs] } }, grams };
}

/** Sums the per-sample X^T X outputs of a `GramOutputs` model in float64. */
export class HessianAccumulator {
  private readonly sums = new Map<string, Float64Array>();
  samples = 0;

  constructor(private readonly grams: GramOutputs['grams']) {
    for (const [x, g] of grams) this.sums.set(x, new Float64Array(g.k * g.k));
  }

  /** The names to fetch from each run. */
  get outputs(): string[] {
    return [...this.grams.values()].map((g) => g.output);
  }

  add(values: ReadonlyMap<string, RuntimeTensor>): void {
    for (const [x, g] of this.grams) {
      const t = values.get(g.output);
      if (t === undefined) throw new Error(`GPTQ calibration: the run did not return ${g.output}`);
      const gram = toFloat32(t);
      const sum = this.sums.get(x)!;
      if (gram.length !== sum.length) throw new Error(`GPTQ calibration: ${g.output} has ${gram.length} values, expected ${sum.length}`);
      for (let i = 0; i < sum.length; i++) sum[i]! += gram[i]!;
    }
    this.samples++;
  }

  get hessians(): ReadonlyMap<string, Float64Array> {
    return this.sums;
  }
}
