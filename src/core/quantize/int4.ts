/**
 * INT4 weight-only quantization: every MatMul with a constant 2-D weight (and every Gemm that is
 * a plain `A x B (+ C)`) becomes a `com.microsoft` MatMulNBits with 4-bit weights quantized in
 * blocks of `blockSize` along K; activations stay float. The layout follows ONNX Runtime's
 * contrib op spec and its matmul_4bits_quantizer:
 *
 * - B: uint8 [N, ceil(K / blockSize), blockSize / 2], the weight transposed (row n holds column
 *   n of the ONNX weight), two 4-bit codes per byte, the even k in the low nibble; K is padded
 *   with zero weights to whole blocks;
 * - scales: float32 [N, blocks]; value = (code - zero point) x scale;
 * - symmetric: no zero_points input (ORT then uses 8); the block's value of largest magnitude
 *   maps to code 0 (scale = that value / -8), as ORT's blockwise quantizer does;
 * - asymmetric: zero_points uint8 [N, ceil(blocks / 2)], two per byte, low nibble first; the
 *   range [min(0, lo), max(0, hi)] maps to codes 0..15.
 */
import { DataType, type Model, type Node, type Tensor } from '../onnx/model';
import { makeTensor } from '../onnx/builder';
import type { GlobMatcher } from '../usecase/glob';
import type { Int4Method } from '../usecase/schema';
import { sortedGraph } from './int8';
import type { KeptFloat } from './plan';
import { prepareModel, pruneInitializers } from './prepare';
import { QuantizeInputError } from './request';
import { freshNames, readFloats } from './tensorValues';
import { gptqInt4 } from './gptq';
import { packInt4 } from './int4Pack';
import { floatAttr, intAttr } from '../onnx/nodeAttributes';

export const int4BlockSizes = [32, 64, 128] as const;
export type Int4BlockSize = (typeof int4BlockSizes)[number];

export interface Int4Options {
  readonly blockSize: Int4BlockSize;
  readonly symmetric: boolean;
  /** Search each block's range for the least squared error (default); false: ORT's round-to-nearest on the full range. */
  readonly search?: boolean;
  /** Default `rtn`; `gptq` needs `hessians`. */
  readonly method?: Int4Method;
  /** gptq: X^T X of each MatMul input tensor (by name) over the calibration rows, [K, K] (see hessian.ts). */
  readonly hessians?: ReadonlyMap<string, Float64Array>;
  readonly keepFloat: readonly GlobMatcher[];
  readonly signal?: AbortSignal;
}

export interface Int4Result {
  readonly model: Model;
  readonly nodesQuantized: number;
  /** The MatMul/Gemm nodes that became MatMulNBits (named ones: the layers auto mixed precision may keep in float). */
  readonly layers: ReadonlyArray<{ readonly node: string; readonly op: string }>;
  readonly keptFloat: readonly KeptFloat[];
  readonly notes: readonly string[];
}

/** Why a MatMul/Gemm cannot become MatMulNBits, or its weight and layout. */
export function int4Candidate(node: Node, initializers: ReadonlyMap<string, Tensor>): { weight: Tensor; transposed: boolean; bias: string | undefined } | string {
  const weight = initializers.get(node.inputs[1] ?? '');
  if (initializers.has(node.inputs[0] ?? '')) return 'its first input is constant';
  if (weight === undefined) return 'its weight is not a constant (activation x activation)';
  if (weight.dataType !== DataType.FLOAT) return `its weight is ${DataType[weight.dataType] ?? weight.dataType}, not float32`;
  if (weight.dims.length !== 2) return `its weight has rank ${weight.dims.length}, not 2`;
  if (node.opType === 'MatMul') return { weight, transposed: false, bias: undefined };
  if (intAttr(node, 'transA', 0) !== 0 || floatAttr(node, 'alpha', 1) !== 1) return 'Gemm with transA or alpha';
  const bias = node.inputs[2] || undefined;
  if (bias !== undefined && floatAttr(node, 'beta', 1) !== 1) return 'Gemm with beta other than 1';
  return { weight, transposed: intAttr(node, 'transB', 0) === 1, bias };
}

/** A [N, K] weight as [K, N]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

export async function quantizeInt4(model: Model, path: string, options: Int4Options): Promise<Int4Result> {
  const { signal, blockSize, symmetric } = options;
  if (!(int4BlockSizes as readonly number[]).includes(blockSize)) throw new QuantizeInputError(`block size ${blockSize} is not supported for int4; use ${int4BlockSizes.join(', ')}`);
  const prepared = await prepareModel(model, signal);
  const graph = sortedGraph(prepared.model.graph);
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const fresh = freshNames(graph);

  const keptFloat: KeptFloat[] = [];
  const added: Tensor[] = [];
  const cache = new Map<string, { b: string; scales: string; zp: string | undefined; k: number; n: number }>();
  const nodes: Node[] = [];
  let quantized = 0;
  const layers: Array<{ node: string; op: string }> = [];
  for (const [i, node] of graph.nodes.entries()) {
    signal?.throwIfAborted();
    if ((node.opType !== 'MatMul' && node.opType !== 'Gemm') || node.domain !== '') {
      nodes.push(node);
      continue;
    }
    const label = node.name || `${node.opType}#${i}`;
    const found = int4Candidate(node, initializers);
    if (typeof found === 'string' || options.keepFloat.some((g) => g.test(node.name))) {
      keptFloat.push({ node: label, op: node.opType, reason: typeof found === 'string' ? found : 'keepFloat' });
      nodes.push(node);
      continue;
    }
    const hessian = options.method === 'gptq' ? options.hessians?.get(node.inputs[0]!) : undefined;
    if (options.method === 'gptq' && hessian === undefined) throw new Error(`int4 gptq: no calibration Hessian for ${node.inputs[0]} (the input of ${label})`);
    const key = `${found.weight.name}|${found.transposed}|${hessian === undefined ? '' : node.inputs[0]}`;
    let q = cache.get(key);
    if (q === undefined) {
      const values = (await readFloats(found.weight, signal))!;
      const [r, c] = found.weight.dims as [number, number];
      const [k, n] = found.transposed ? [c, r] : [r, c];
      const weight = found.transposed ? transpose(values, r, c) : values;
      const search = options.search ?? true;
      const packed = hessian === undefined ? packInt4(weight, k, n, blockSize, symmetric, search) : gptqInt4(weight, k, n, hessian, { blockSize, symmetric, search });
      const base = found.weight.name;
      q = { b: fresh(`${base}_Q4`), scales: fresh(`${base}_scales`), zp: packed.zeroPoints ? fresh(`${base}_zero_points`) : undefined, k, n };
      added.push(makeTensor(q.b, [n, packed.blocks, blockSize / 2], packed.packed), makeTensor(q.scales, [n, packed.blocks], packed.scales));
      if (packed.zeroPoints && q.zp) added.push(makeTensor(q.zp, [n, Math.ceil(packed.blocks / 2)], packed.zeroPoints));
      cache.set(key, q);
    }
    const output = node.outputs[0]!;
    const product = found.bias !== undefined ? fresh(`${output}_MatMulNBits`) : output;
    nodes.push({
      name: fresh(`${node.name || output}_Q4`),
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      inputs: [node.inputs[0]!, q.b, q.scales, ...(q.zp ? [q.zp] : [])],
      outputs: [product],
      attributes: [
        { name: 'K', value: { type: 'int', value: BigInt(q.k) } },
        { name: 'N', value: { type: 'int', value: BigInt(q.n) } },
        { name: 'bits', value: { type: 'int', value: 4n } },
        { name: 'block_size', value: { type: 'int', value: BigInt(blockSize) } },
      ],
    });
    if (found.bias !== undefined) nodes.push({ name: fresh(`${node.name || output}_bias`), opType: 'Add', domain: '', inputs: [product, found.bias], outputs: [output], attributes: [] });
    quantized++;
    if (node.name !== '') layers.push({ node: node.name, op: node.opType });
  }
  if (quantized === 0) {
    const why = keptFloat.length === 0 ? 'it has no MatMul or Gemm' : `none of its ${keptFloat.length} MatMul/Gemm nodes has a constant 2-D float32 weight (${keptFloat[0]!.node}: ${keptFloat[0]!.reason})`;
    throw new QuantizeInputError(`${path}: int4-weight quantizes constant MatMul/Gemm weights, but ${why}; use int8 or fp16 for this model`);
  }
  const opsetImports = prepared.model.opsetImports.some((o) => o.domain === 'com.microsoft') ? prepared.model.opsetImports : [...prepared.model.opsetImports, { domain: 'com.microsoft', version: 1n }];
  const out = pruneInitializers({ ...graph, nodes, initializers: [...graph.initializers, ...added] });
  return { model: { ...prepared.model, opsetImports, graph: out }, nodesQuantized: quantized, layers, keptFloat, notes: [...prepared.notes] };
}
