/**
 * GPTQ for MatMulNBits (Frantar et al. 2022, "GPTQ: Accurate Post-Training Quantization for
 * Generative Pre-trained Transformers"; the method ORT's MatMul4BitsQuantizer also offers).
 *
 * Round to nearest minimises each weight's own error; what matters is the layer's output
 * error ||X W - X Q||^2 on real activations X. GPTQ quantizes W one input row k at a time (in
 * ONNX's [K, N] layout: the k-th input feature of every output column) and moves each row's
 * rounding error onto the rows not yet quantized, weighted by the inverse of H = X^T X (from
 * calibration), so that correlated inputs absorb it. Blocks keep MatMulNBits' structure: a
 * block's scale and zero point are chosen (with the same range search as round to nearest)
 * from the updated weights when quantization reaches the block's first row, as GPTQ does for
 * grouped quantization without activation order. Codes and packing are the same as
 * round to nearest, so the file layout does not change.
 */
import { blockParams, code, packCodes, type PackedInt4 } from './int4Pack';

export interface GptqOptions {
  readonly blockSize: number;
  readonly symmetric: boolean;
  readonly search: boolean;
  /** Damping added to H's diagonal, relative to its mean (GPTQ's percdamp). */
  readonly damp?: number;
}

export const defaultGptqDamp = 0.01;

/** In-place lower Cholesky factor of the symmetric [k, k] matrix `a`; false when it is not positive definite. */
function choleskyLower(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let p = 0; p < j; p++) d -= a[j * k + p]! ** 2;
    if (!(d > 0)) return false;
    const djj = Math.sqrt(d);
    a[j * k + j] = djj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= a[i * k + p]! * a[j * k + p]!;
      a[i * k + j] = s / djj;
    }
    for (let i = 0; i < j; i++) a[i * k + j] = 0;
  }
  return true;
}

/** The inverse of a lower-triangular [k, k] matrix (lower triangular). */
function invertLower(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    inv[j * k + j] = 1 / l[j * k + j]!;
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let p = j; p < i; p++) s -= l[i * k + p]! * inv[p * k + j]!;
      inv[i * k + j] = s / l[i * k + i]!;
    }
  }
  return inv;
}

/**
 * U, upper triangular, with U^T U = H^-1 (torch.linalg.cholesky(cholesky_inverse(cholesky(H)), upper=True)
 * in the reference implementation); undefined when H is not positive definite.
 */
export function upperCholeskyOfInverse(h: Float64Array, k: number): Float64Array | undefined {
  const l = Float64Array.from(h);
  if (!choleskyLower(l, k)) return undefined;
  const li = invertLower(l, k);
  // H^-1 = L^-T L^-1
  const hinv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = i; p < k; p++) s += li[p * k + i]! * li[p * k + j]!;
      hinv[i * k + j] = s;
      hinv[j * k + i] = s;
    }
  }
  if (!choleskyLower(hinv, k)) return undefined;
  // U = C^T
  const u = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) u[i * k + j] = hinv[j * k + i]!;
  return u;
}

/**
 * Quantizes a row-major [K, N] weight with GPTQ against `hessian` (X^T X summed over the
 * calibration rows, [K, K]); returns MatMulNBits' packed form and the damping used.
 */
export function gptqInt4(weight: Float32Array, k: number, n: number, hessian: Float64Array, options: GptqOptions): PackedInt4 & { readonly damp: number } {
  if (hessian.length !== k * k) throw new Error(`GPTQ: the Hessian has ${hessian.length} values for K = ${k}`);
  const { blockSize, symmetric, search } = options;
  const w = Float64Array.from(weight);
  const h = Float64Array.from(hessian);
  let meanDiag = 0;
  for (let i = 0; i < k; i++) {
    // An input that is always zero carries no information: its weights go to zero (as GPTQ does).
    if (!(h[i * k + i]! > 0)) {
      h[i * k + i] = 1;
      w.fill(0, i * n, (i + 1) * n);
    }
    meanDiag += h[i * k + i]! / k;
  }
  let damp = options.damp ?? defaultGptqDamp;
  let u: Float64Array | undefined;
  // A rank-deficient H (few calibration rows) needs more damping to be inverted.
  for (let attempt = 0; attempt < 6; attempt++, damp *= 10) {
    const damped = Float64Array.from(h);
    for (let i = 0; i < k; i++) damped[i * k + i]! += damp * meanDiag;
    u = upperCholeskyOfInverse(damped, k);
    if (u !== undefined) break;
  }
  if (u === undefined) throw new Error('GPTQ: the calibration Hessian cannot be inverted even with damping');

  const blocks = Math.ceil(k / blockSize);
  const span = blocks * blockSize;
  const codes = new Uint8Array(n * span);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = new Uint8Array(n * blocks);
  const err = new Float64Array(n);
  for (let b = 0; b < blocks; b++) {
    const k0 = b * blockSize;
    const k1 = Math.min(k, k0 + blockSize);
    for (let col = 0; col < n; col++) {
      const p = blockParams(w, n, col, k0, k1, symmetric, search);
      scales[col * blocks + b] = p.scale;
      zeroPoints[col * blocks + b] = p.zp;
      // Padding rows past K hold the zero point.
      codes.fill(p.zp, col * span + k0, col * span + k0 + blockSize);
    }
    for (let r = k0; r < k1; r++) {
      const d = u[r * k + r]!;
      const row = r * n;
      for (let col = 0; col < n; col++) {
        const scale = scales[col * blocks + b]!;
        const zp = zeroPoints[col * blocks + b]!;
        const v = w[row + col]!;
        const c = scale === 0 ? zp : code(v, scale, zp);
        codes[col * span + r] = c;
        err[col] = (v - (c - zp) * scale) / d;
      }
      for (let j = r + 1; j < k; j++) {
        const f = u[r * k + j]!;
        if (f === 0) continue;
        const at = j * n;
        for (let col = 0; col < n; col++) w[at + col]! -= err[col]! * f;
      }
    }
  }
  return { ...packCodes(codes, scales, symmetric ? undefined : zeroPoints, n, blocks, blockSize), damp };
}
