import type { Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { normAxis } from '../dims';
import { concatShape, elemAsDim } from './shapeHelpers';

/** AffineGrid (opset 20): theta [N, 2|3, 3|4], size [N, C, (D,) H, W] -> grid [N, (D,) H, W, 2|3]. */
const affineGrid: OpHandler = (ctx) => {
  const size = ctx.value(1)?.data.map(elemAsDim);
  if (!size) return [{ dtype: ctx.dtype(0) }];
  const spatial = size.slice(2);
  return [{ dtype: ctx.dtype(0), shape: [size[0], ...spatial, spatial.length] }];
};

/** CenterCropPad (opset 18): the listed axes take the sizes of the shape input. */
const centerCropPad: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const sizes = ctx.value(1)?.data.map(elemAsDim);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const axes = (ctx.ints('axes') ?? xs.map((_, i) => i)).map((a) => (a < 0 ? a + xs.length : a));
  const out: Dim[] = [...xs];
  axes.forEach((a, i) => (out[a] = sizes ? sizes[i] : undefined));
  return [{ dtype: ctx.dtype(0), shape: out }];
};

/** Col2Im (opset 18): [N, C*prod(block), L] -> [N, C, image...]. */
const col2im: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const image = ctx.value(1)?.data.map(elemAsDim);
  const block = ctx.value(2)?.data;
  const c = xs?.[1];
  const prod = block?.every((b) => typeof b === 'number') ? (block as number[]).reduce((p, b) => p * b, 1) : undefined;
  const channels = typeof c === 'number' && prod ? c / prod : undefined;
  return [{ dtype: ctx.dtype(0), shape: image ? [xs?.[0], channels, ...image] : undefined }];
};

export const extraOps: OpTable = {
  AffineGrid: affineGrid,
  CenterCropPad: centerCropPad,
  Col2Im: col2im,
};

/** com.microsoft QLinearConcat: Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input. */
const qlinearConcat: OpHandler = (ctx) => {
  const xs: Array<readonly Dim[] | undefined> = [];
  for (let i = 2; i < ctx.node.inputs.length; i += 3) xs.push(ctx.shape(i));
  const rank = xs.find((s) => s !== undefined)?.length;
  const dtype = ctx.dtype(1) ?? ctx.dtype(2);
  if (rank === undefined) return [{ dtype }];
  const axis = normAxis(ctx.int('axis', 0), rank);
  if (axis === undefined) return [{ dtype }];
  const out = concatShape(xs, rank, axis);
  return [{ dtype, shape: out }];
};

export const msExtraOps: OpTable = {
  QLinearConcat: qlinearConcat,
};
