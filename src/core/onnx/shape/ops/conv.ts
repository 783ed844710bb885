import { DataType, type Dim } from '../../model';
import type { OpContext, OpHandler, OpTable } from '../context';

type WindowKind = 'conv' | 'pool';

/** Output spatial size of a sliding window (Conv, pools), per the ONNX operator docs. */
function windowOut(input: Dim, k: number, s: number, d: number, pb: number, pe: number, autoPad: string, ceilMode: boolean): Dim {
  const span = (k - 1) * d + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    if (typeof input === 'number') return Math.ceil(input / s);
    return s === 1 ? input : undefined;
  }
  const padB = autoPad === 'VALID' ? 0 : pb;
  const padE = autoPad === 'VALID' ? 0 : pe;
  if (typeof input !== 'number') return span === 1 && s === 1 && padB + padE === 0 ? input : undefined;
  const numer = input + padB + padE - span;
  if (numer < 0) return undefined;
  if (!ceilMode) return Math.floor(numer / s) + 1;
  let out = Math.ceil(numer / s) + 1;
  // A last window that would start inside the end padding is dropped (PyTorch, onnxruntime).
  if ((out - 1) * s >= input + padB) out--;
  return out;
}

function spatialShape(ctx: OpContext, xShape: readonly Dim[], kernel: readonly number[], kind: WindowKind): Dim[] | undefined {
  const n = xShape.length - 2;
  if (kernel.length !== n) {
    ctx.problem(`kernel has ${kernel.length} spatial dims but the input has ${n}`);
    return undefined;
  }
  const strides = ctx.ints('strides') ?? new Array<number>(n).fill(1);
  const dilations = ctx.ints('dilations') ?? new Array<number>(n).fill(1);
  const pads = ctx.ints('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  const ceilMode = kind === 'pool' && ctx.int('ceil_mode', 0) === 1;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    out.push(windowOut(xShape[i + 2], kernel[i] ?? 1, strides[i] ?? 1, dilations[i] ?? 1, pads[i] ?? 0, pads[i + n] ?? 0, autoPad, ceilMode));
  }
  return out;
}

/** Conv-like: X at `x`, W at `w`; output [N, M, spatial...]. */
function convLike(x: number, w: number, dtype: (ctx: OpContext) => DataType | undefined): OpHandler {
  return (ctx) => {
    const xs = ctx.shape(x);
    const ws = ctx.shape(w);
    const channels = ws?.[0];
    const rank = xs?.length ?? ws?.length;
    if (rank === undefined) return [{ dtype: dtype(ctx) }];
    const kernel = ctx.ints('kernel_shape') ?? ws?.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
    let spatial: Dim[] | undefined;
    if (xs && kernel && kernel.every((k) => !Number.isNaN(k))) spatial = spatialShape(ctx, xs, kernel, 'conv');
    return [{ dtype: dtype(ctx), shape: [xs?.[0], channels, ...(spatial ?? new Array<Dim>(rank - 2).fill(undefined))] }];
  };
}

const convTranspose: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const ws = ctx.shape(1);
  const group = ctx.int('group', 1);
  const wc = ws?.[1];
  const channels = typeof wc === 'number' ? wc * group : undefined;
  const rank = xs?.length ?? ws?.length;
  if (rank === undefined) return [{ dtype: ctx.dtype(0) }];
  const n = rank - 2;
  const kernel = ctx.ints('kernel_shape') ?? ws?.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
  const strides = ctx.ints('strides') ?? new Array<number>(n).fill(1);
  const dilations = ctx.ints('dilations') ?? new Array<number>(n).fill(1);
  const pads = ctx.ints('pads') ?? new Array<number>(2 * n).fill(0);
  const outPad = ctx.ints('output_padding') ?? new Array<number>(n).fill(0);
  const outputShape = ctx.ints('output_shape');
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  const spatial: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const input = xs?.[i + 2];
    const k = kernel?.[i];
    const s = strides[i] ?? 1;
    if (outputShape) spatial.push(outputShape[outputShape.length - n + i]);
    else if (typeof input !== 'number' || k === undefined || Number.isNaN(k)) spatial.push(undefined);
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') spatial.push(input * s);
    else {
      const pb = autoPad === 'VALID' ? 0 : pads[i] ?? 0;
      const pe = autoPad === 'VALID' ? 0 : pads[i + n] ?? 0;
      spatial.push(s * (input - 1) + (outPad[i] ?? 0) + (k - 1) * (dilations[i] ?? 1) + 1 - pb - pe);
    }
  }
  return [{ dtype: ctx.dtype(0), shape: [xs?.[0], channels, ...spatial] }];
};

const pool: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const kernel = ctx.ints('kernel_shape');
  if (!xs) return [{ dtype: ctx.dtype(0) }, { dtype: DataType.INT64 }];
  if (!kernel) {
    ctx.problem('kernel_shape attribute missing');
    return [{ dtype: ctx.dtype(0) }, { dtype: DataType.INT64 }];
  }
  const spatial = spatialShape(ctx, xs, kernel, 'pool');
  const shape = spatial ? [xs[0], xs[1], ...spatial] : undefined;
  return [{ dtype: ctx.dtype(0), shape }, { dtype: DataType.INT64, shape }];
};

const globalPool: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  return [{ dtype: ctx.dtype(0), shape: xs ? [xs[0], xs[1], ...xs.slice(2).map(() => 1)] : undefined }];
};

/** DepthToSpace / SpaceToDepth on NCHW. */
function depthSpace(toSpace: boolean): OpHandler {
  return (ctx) => {
    const xs = ctx.shape(0);
    const b = ctx.int('blocksize', 1);
    if (!xs || xs.length !== 4) return [{ dtype: ctx.dtype(0) }];
    const mul = (d: Dim, f: number): Dim => (typeof d === 'number' ? d * f : undefined);
    const div = (d: Dim, f: number): Dim => (typeof d === 'number' ? d / f : undefined);
    return [{
      dtype: ctx.dtype(0),
      shape: toSpace ? [xs[0], div(xs[1], b * b), mul(xs[2], b), mul(xs[3], b)] : [xs[0], mul(xs[1], b * b), div(xs[2], b), div(xs[3], b)],
    }];
  };
}

const roiAlign: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const rois = ctx.shape(1);
  const oh = ctx.int('output_height', 1);
  const ow = ctx.int('output_width', 1);
  return [{ dtype: ctx.dtype(0), shape: [rois?.[0], xs?.[1], oh, ow] }];
};

const maxRoiPool: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const rois = ctx.shape(1);
  const pooled = ctx.ints('pooled_shape');
  return [{ dtype: ctx.dtype(0), shape: pooled ? [rois?.[0], xs?.[1], ...pooled] : undefined }];
};

const gridSample: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const gs = ctx.shape(1);
  if (!gs) return [{ dtype: ctx.dtype(0) }];
  return [{ dtype: ctx.dtype(0), shape: [xs?.[0] ?? gs[0], xs?.[1], ...gs.slice(1, -1)] }];
};

const qlinearOut = (ctx: OpContext) => ctx.dtype(7) ?? ctx.dtype(0);

export const convOps: OpTable = {
  Conv: convLike(0, 1, (ctx) => ctx.dtype(0)),
  ConvInteger: convLike(0, 1, () => DataType.INT32),
  QLinearConv: convLike(0, 3, qlinearOut),
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  DepthToSpace: depthSpace(true),
  SpaceToDepth: depthSpace(false),
  RoiAlign: roiAlign,
  MaxRoiPool: maxRoiPool,
  GridSample: gridSample,
};

export const msConvOps: OpTable = {
  FusedConv: convLike(0, 1, (ctx) => ctx.dtype(0)),
  QLinearGlobalAveragePool: (ctx) => {
    const xs = ctx.shape(0);
    const channelsLast = ctx.int('channels_last', 0) === 1;
    if (!xs) return [{ dtype: ctx.dtype(0) }];
    const shape = channelsLast ? [xs[0], ...xs.slice(1, -1).map(() => 1), xs[xs.length - 1]] : [xs[0], xs[1], ...xs.slice(2).map(() => 1)];
    return [{ dtype: ctx.dtype(0), shape }];
  },
};
