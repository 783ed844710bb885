/**
 * MatMulNBits' 4-bit weight layout (see int4.ts) and round to nearest per block: a block's
 * scale and zero point, its codes, and the packing shared by every int4 method.
 */

export interface PackedInt4 {
  /** [N, blocks, blockSize / 2] */
  readonly packed: Uint8Array;
  /** [N, blocks] */
  readonly scales: Float32Array;
  /** [N, ceil(blocks / 2)]; undefined when symmetric (ORT's default zero point 8). */
  readonly zeroPoints: Uint8Array | undefined;
  readonly blocks: number;
}

export const code = (v: number, scale: number, zp: number): number => Math.min(15, Math.max(0, Math.round(v / scale) + zp));

/** Shrink factors of the block's range tried by the error search (1: round to nearest on the full range, ORT's rule). */
const SEARCH_FACTORS = Array.from({ length: 16 }, (_, i) => 1 - i * 0.025);

/**
 * The scale and zero point of one block (column `col` of a row-major [K, n] weight, rows
 * k0..k1): ORT's rule on the full range, or with `search` the shrunk range (clipping the
 * outliers) of least squared error, as llama.cpp and AWQ's clip search do (`rowWeights`: each
 * row's error weighted, e.g. by the energy of its input); the stored scale is float32, so codes
 * are computed against it.
 */
export function blockParams(weight: ArrayLike<number>, n: number, col: number, k0: number, k1: number, symmetric: boolean, search: boolean, rowWeights?: ArrayLike<number>): { scale: number; zp: number } {
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
      error += (rowWeights === undefined ? 1 : rowWeights[r]!) * (v - (code(v, p.scale, p.zp) - p.zp) * p.scale) ** 2;
    }
    if (error < bestError) {
      bestError = error;
      best = p;
    }
  }
  return best;
}

/**
 * Packs codes [N, blocks * blockSize] (column n's codes along K, padding rows holding the zero
 * point), scales [N, blocks] and zero points [N, blocks] (undefined: symmetric) the way
 * MatMulNBits reads them.
 */
export function packCodes(codes: Uint8Array, scales: Float32Array, zeroPoints: Uint8Array | undefined, n: number, blocks: number, blockSize: number): PackedInt4 {
  const blob = blockSize / 2;
  const zpRow = Math.ceil(blocks / 2);
  const packed = new Uint8Array(n * blocks * blob);
  for (let i = 0; i < packed.length; i++) packed[i] = codes[2 * i]! | (codes[2 * i + 1]! << 4);
  let zps: Uint8Array | undefined;
  if (zeroPoints) {
    zps = new Uint8Array(n * zpRow);
    for (let col = 0; col < n; col++) for (let b = 0; b < blocks; b++) zps[col * zpRow + (b >> 1)]! |= zeroPoints[col * blocks + b]! << ((b & 1) * 4);
  }
  return { packed, scales, zeroPoints: zps, blocks };
}

/** Round to nearest per block: quantizes a row-major [K, N] weight (the ONNX MatMul layout) to MatMulNBits' packed form. */
export function packInt4(weight: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean, search = true): PackedInt4 {
  const blocks = Math.ceil(k / blockSize);
  const span = blocks * blockSize;
  const codes = new Uint8Array(n * span);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = new Uint8Array(n * blocks);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      const k0 = b * blockSize;
      const k1 = Math.min(k, k0 + blockSize);
      const { scale, zp } = blockParams(weight, n, col, k0, k1, symmetric, search);
      const at = col * span + k0;
      codes.fill(zp, at, at + blockSize);
      if (scale !== 0) for (let r = k0; r < k1; r++) codes[col * span + r] = code(weight[r * n + col]!, scale, zp);
      scales[col * blocks + b] = scale;
      zeroPoints[col * blocks + b] = zp;
    }
  }
  return packCodes(codes, scales, symmetric ? undefined : zeroPoints, n, blocks, blockSize);
}
