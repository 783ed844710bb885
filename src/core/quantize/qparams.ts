/**
 * Scales and zero points, following ONNX Runtime's quantizer (quant_utils.compute_scale_zp):
 * the range always holds 0; asymmetric uint8 spans [0, 255]; symmetric int8 spans [-127, 127]
 * with zero point 0. Values are rounded half to even, as QuantizeLinear does.
 */
import { DataType } from '../onnx/model';
import type { TensorRange } from './statistics';

export type ActivationType = 'uint8' | 'int8';

export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly type: DataType.UINT8 | DataType.INT8;
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const TINY = 1.1754943508222875e-38; // smallest normal float32

/** Parameters of an activation tensor from its calibrated range. */
export function activationParams(range: TensorRange, type: ActivationType): QuantParams {
  const rmin = Math.min(range.min, 0);
  const rmax = Math.max(range.max, 0);
  if (type === 'int8') {
    const scale = Math.fround(Math.max(Math.abs(rmin), Math.abs(rmax)) / 127);
    return scale < TINY ? { scale: 1, zeroPoint: 0, type: DataType.INT8 } : { scale, zeroPoint: 0, type: DataType.INT8 };
  }
  const scale = Math.fround((rmax - rmin) / 255);
  if (scale < TINY) return { scale: 1, zeroPoint: 0, type: DataType.UINT8 };
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-rmin / scale)));
  return { scale, zeroPoint, type: DataType.UINT8 };
}

export interface QuantizedWeights {
  readonly values: Int8Array;
  /** One scale per channel along `axis`, or one for the whole tensor (axis undefined). */
  readonly scales: Float32Array;
  readonly axis: number | undefined;
}

/** Symmetric int8 weights, per channel along `axis` or per tensor (axis undefined). */
export function quantizeWeights(values: Float32Array, dims: readonly number[], axis: number | undefined): QuantizedWeights {
  const channels = axis === undefined ? 1 : dims[axis]!;
  const inner = axis === undefined ? values.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(values[i]!);
    if (a > absMax[c]!) absMax[c] = a;
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = Math.fround(absMax[c]! / 127);
    scales[c] = s < TINY ? 1 : s;
  }
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(-127, Math.min(127, roundHalfEven(values[i]! / scales[channelOf(i)]!)));
  return { values: out, scales, axis };
}

/** int32 bias at scale s_in * s_w (per channel when the weights are). */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const scales = new Float32Array(bias.length);
  const values = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const s = Math.fround(inputScale * weightScales[weightScales.length === 1 ? 0 : c]!);
    scales[c] = s;
    values[c] = Math.max(-2147483647, Math.min(2147483647, roundHalfEven(bias[c]! / s)));
  }
  return { values, scales };
}

/** A float constant quantized with activation parameters (per tensor), e.g. an Add's constant operand. */
export function quantizeConstant(values: Float32Array, type: ActivationType): { params: QuantParams; values: Uint8Array | Int8Array } {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const params = activationParams({ min: lo, max: hi }, type);
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-127, 127];
  const out = type === 'uint8' ? new Uint8Array(values.length) : new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(qmin, Math.min(qmax, roundHalfEven(values[i]! / params.scale) + params.zeroPoint));
  return { params, values: out };
}
