import { DataType, type Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { normAxis } from '../dims';

const batchNorm: OpHandler = (ctx) => {
  const y = { dtype: ctx.dtype(0), shape: ctx.shape(0) };
  // Training mode (opset 14+) adds running mean and var outputs shaped like the mean input.
  return [y, { dtype: ctx.dtype(3), shape: ctx.shape(3) }, { dtype: ctx.dtype(4), shape: ctx.shape(4) }, { dtype: ctx.dtype(3), shape: ctx.shape(3) }, { dtype: ctx.dtype(4), shape: ctx.shape(4) }];
};

/** Mean and inverse std-dev outputs keep the leading dims and set the normalised ones to 1. */
function statsShape(xs: readonly Dim[] | undefined, axisAttr: number): Dim[] | undefined {
  if (!xs) return undefined;
  const axis = normAxis(axisAttr, xs.length);
  return axis === undefined ? undefined : xs.map((d, i) => (i < axis ? d : 1));
}

const layerNorm: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const stats = statsShape(xs, ctx.int('axis', -1));
  const stash = ctx.int('stash_type', DataType.FLOAT) as DataType;
  return [{ dtype: ctx.dtype(0), shape: xs }, { dtype: stash, shape: stats }, { dtype: stash, shape: stats }];
};

export const normOps: OpTable = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
};

/** com.microsoft SkipLayerNormalization and friends: output, mean, inv std, input+skip(+bias). */
const skipLayerNorm: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const stats = statsShape(xs, -1);
  return [{ dtype: ctx.dtype(0), shape: xs }, { dtype: DataType.FLOAT, shape: stats }, { dtype: DataType.FLOAT, shape: stats }, { dtype: ctx.dtype(0), shape: xs }];
};

export const msNormOps: OpTable = {
  SkipLayerNormalization: skipLayerNorm,
  SkipSimplifiedLayerNormalization: skipLayerNorm,
  SimplifiedLayerNormalization: layerNorm,
  LayerNormalization: layerNorm,
};
