import { DataType, type Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { normAxis } from '../dims';
import { elemAsDim } from './shapeHelpers';

const window: OpHandler = (ctx) => [{ dtype: ctx.int('output_datatype', DataType.FLOAT) as DataType, shape: [elemAsDim(ctx.value(0)?.data[0])] }];

/** DFT: [batch, ..., signal, 1|2] -> complex last dim 2; the transformed axis may be resized. */
const dft: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const axisValue = ctx.opset >= 20 && ctx.has(2) ? ctx.value(2)?.data[0] : ctx.int('axis', 1);
  const axis = typeof axisValue === 'number' ? normAxis(axisValue, xs.length - 1) : undefined;
  const shape: Dim[] = [...xs.slice(0, -1), 2];
  if (axis === undefined) return [{ dtype: ctx.dtype(0), shape: shape.map((d, i) => (i < xs.length - 1 ? undefined : d)) }];
  let n: Dim = xs[axis];
  if (ctx.has(1)) n = elemAsDim(ctx.value(1)?.data[0]);
  if (ctx.int('onesided', 0) === 1) n = typeof n === 'number' ? Math.floor(n / 2) + 1 : undefined;
  shape[axis] = n;
  return [{ dtype: ctx.dtype(0), shape }];
};

const maxUnpool: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (ctx.has(2)) {
    const out = ctx.value(2);
    return [{ dtype: ctx.dtype(0), shape: out ? out.data.map(elemAsDim) : undefined }];
  }
  const kernel = ctx.ints('kernel_shape');
  if (!xs || !kernel) return [{ dtype: ctx.dtype(0) }];
  const n = kernel.length;
  const strides = ctx.ints('strides') ?? new Array<number>(n).fill(1);
  const pads = ctx.ints('pads') ?? new Array<number>(2 * n).fill(0);
  const spatial = kernel.map((k, i) => {
    const d = xs[i + 2];
    return typeof d === 'number' ? (d - 1) * (strides[i] ?? 1) + k - (pads[i] ?? 0) - (pads[i + n] ?? 0) : undefined;
  });
  return [{ dtype: ctx.dtype(0), shape: [xs[0], xs[1], ...spatial] }];
};

/** NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: per-element loss for reduction 'none', else a scalar. */
const loss = (withLogProb: boolean): OpHandler => (ctx) => {
  const reduction = ctx.str('reduction', 'mean');
  const out = { dtype: ctx.dtype(0), shape: reduction === 'none' ? ctx.shape(1) : [] };
  return withLogProb ? [out, { dtype: ctx.dtype(0), shape: ctx.shape(0) }] : [out];
};

export const signalOps: OpTable = {
  HannWindow: window,
  HammingWindow: window,
  BlackmanWindow: window,
  DFT: dft,
  MaxUnpool: maxUnpool,
  NegativeLogLikelihoodLoss: loss(false),
  SoftmaxCrossEntropyLoss: loss(true),
};
