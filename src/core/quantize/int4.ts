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
import { sortedGraph } from './int8';
import type { KeptFloat } from './plan';
import { prepareModel, pruneInitializers } from './prepare';
import { QuantizeInputError } from './request';
import { freshNames, readFloats } from './tensorValues';

export const int4BlockSizes = [32, 64, 128] as const;
export type Int4BlockSize = (typeof int4BlockSizes)[number];

export interface Int4Options {
  readonly blockSize: Int4BlockSize;
  readonly symmetric: boolean;
  /** Search each block's range for the least squared error (default); false: ORT's round-to-nearest on the full range. */
  readonly search?: boolean;
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

export interface PackedInt4 {
  /** [N, blocks, blockSize / 2] */
  readonly packed: Uint8Array;
  /** [N, blocks] */
  readonly scales: Float32Array;
  /** [N, ceil(blocks / 2)]; undefined when symmetric (ORT's default zero point 8). */
  readonly zeroPoints: Uint8Array | undefined;
  readonly blocks: number;
}

/** Quantizes a row-major [K, N] weight (the ONNX MatMul layout) to MatMulNBits' packed form. */
const code = (v: number, scale: number, zp: number) => Math.min(15, Math.max(0, Math.round(v / scale) + zp));

/** Shrink factors of the block's range tried by the error search (1: round to nearest on the full range, ORT's rule). */
const SEARCH_FACTORS = Array.from({ length: 16 }, (_, i) => 1 - i * 0.025);

/**
 * The scale and zero point of one block (column `col`, rows k0..k1): ORT's rule on the full range,
 * or with `search` the shrunk range (clipping the outliers) of least squared error, as llama.cpp
 * and AWQ's clip search do; the stored scale is float32, so codes are computed against it.
 */
function blockParams(weight: Float32Array, n: number, col: number, k0: number, k1: number, symmetric: boolean, search: boolean): { scale: number; zp: number } {
  let peak = 0;
  let lo = 0;
  let hi = 0;
  for (let r = k0; r < k1; r++) {
    const v = weight[r * n + col]!;
    if (Math.abs(v) > Math.abs(peak)) peak = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const params = (f: number) => {
    if (symmetric) return { scale: Math.fround((peak * f) / -8), zp: 8 };
    const scale = Math.fround(((hi - lo) * f) / 15);
    return { scale, zp: scale === 0 ? 0 : Math.min(15, Math.max(0, Math.round((-lo * f) / scale))) };
  };
  if (!search) return params(1);
  let best = params(1);
  let bestError = Infinity;
  for (const f of SEARCH_FACTORS) {
    const p = params(f);
    if (p.scale === 0) return p;
    let error = 0;
    for (let r = k0; r < k1; r++) {
      const v = weight[r * n + col]!;
      error += (v - (code(v, p.scale, p.zp) - p.zp) * p.scale) ** 2;
    }
    if (error < bestError) {
      bestError = error;
      best = p;
    }
  }
  return best;
}

export function packInt4(weight: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean, search = true): PackedInt4 {
  const blocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const zpRow = Math.ceil(blocks / 2);
  const packed = new Uint8Array(n * blocks * blob);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpRow);
  const codes = new Uint8Array(blockSize);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      const k0 = b * blockSize;
      const k1 = Math.min(k, k0 + blockSize);
      const { scale, zp } = blockParams(weight, n, col, k0, k1, symmetric, search);
      codes.fill(zp);
      if (scale !== 0) for (let r = k0; r < k1; r++) codes[r - k0] = code(weight[r * n + col]!, scale, zp);
      const at = (col * blocks + b) * blob;
      for (let j = 0; j < blob; j++) packed[at + j] = codes[2 * j]! | (codes[2 * j + 1]! << 4);
      scales[col * blocks + b] = scale;
      if (zeroPoints) zeroPoints[col * zpRow + (b >> 1)]! |= zp << ((b & 1) * 4);
    }
  }
  return { packed, scales, zeroPoints, blocks };
}

function intAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'int' ? Number(a.value) : fallback;
}

function floatAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes.find((x) => x.name === name)?.value;
  return a?.type === 'float' ? a.value : fallback;
}

/** Why a MatMul/Gemm cannot become MatMulNBits, or its weight and layout. */
function candidate(node: Node, initializers: ReadonlyMap<string, Tensor>): { weight: Tensor; transposed: boolean; bias: string | undefined } | string {
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
    const found = candidate(node, initializers);
    if (typeof found === 'string' || options.keepFloat.some((g) => g.test(node.name))) {
      keptFloat.push({ node: label, op: node.opType, reason: typeof found === 'string' ? found : 'keepFloat' });
      nodes.push(node);
      continue;
    }
    const key = `${found.weight.name}|${found.transposed}`;
    let q = cache.get(key);
    if (q === undefined) {
      const values = (await readFloats(found.weight, signal))!;
      const [r, c] = found.weight.dims as [number, number];
      const [k, n] = found.transposed ? [c, r] : [r, c];
      const packed = packInt4(found.transposed ? transpose(values, r, c) : values, k, n, blockSize, symmetric, options.search ?? true);
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
