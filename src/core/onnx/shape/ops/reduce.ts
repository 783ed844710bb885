import { DataType, type Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import type { ConstValue, Elem } from '../types';
import { intsFromAttrOrInput } from './shapeHelpers';

/** Opset from which each reduction takes `axes` as an input instead of an attribute. */
const axesInputSince: Readonly<Record<string, number>> = {
  ReduceSum: 13,
  ReduceMean: 18,
  ReduceMax: 18,
  ReduceMin: 18,
  ReduceProd: 18,
  ReduceL1: 18,
  ReduceL2: 18,
  ReduceLogSum: 18,
  ReduceLogSumExp: 18,
  ReduceSumSquare: 18,
};

const reduce: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const dtype = ctx.dtype(0);
  const keep = ctx.int('keepdims', 1) === 1;
  const axes = intsFromAttrOrInput(ctx, 'axes', 1, axesInputSince[ctx.node.opType] ?? 18);
  if (!xs) return [{ dtype }];
  if (axes === 'unknown') {
    ctx.problem('axes input not constant');
    return [{ dtype, shape: keep ? xs.map(() => undefined) : undefined }];
  }
  if ((!axes || axes.length === 0) && ctx.int('noop_with_empty_axes', 0) === 1) return [{ dtype, shape: xs, value: ctx.value(0) }];
  const reduced = new Set((axes && axes.length > 0 ? axes : xs.map((_, i) => i)).map((a) => (a < 0 ? a + xs.length : a)));
  const shape: Dim[] = [];
  xs.forEach((d, i) => {
    if (!reduced.has(i)) shape.push(d);
    else if (keep) shape.push(1);
  });
  return [{ dtype, shape, value: foldReduceAll(ctx.node.opType, ctx.value(0), reduced.size === xs.length, shape) }];
};

/** Folds a full reduction of a small vector (e.g. ReduceProd of a Shape slice). */
function foldReduceAll(op: string, v: ConstValue | undefined, all: boolean, shape: readonly Dim[]): ConstValue | undefined {
  if (!v || !all || !v.data.every((x) => typeof x === 'number')) return undefined;
  const xs = v.data as number[];
  let r: Elem;
  if (op === 'ReduceProd') r = xs.reduce((a, b) => a * b, 1);
  else if (op === 'ReduceSum') r = xs.reduce((a, b) => a + b, 0);
  else if (op === 'ReduceMax' && xs.length > 0) r = xs.reduce((a, b) => Math.max(a, b));
  else if (op === 'ReduceMin' && xs.length > 0) r = xs.reduce((a, b) => Math.min(a, b));
  else return undefined;
  return { dims: shape.map(() => 1), data: [r] };
}

const argReduce: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: DataType.INT64 }];
  const raw = ctx.int('axis', 0);
  const axis = raw < 0 ? raw + xs.length : raw;
  const keep = ctx.int('keepdims', 1) === 1;
  const shape: Dim[] = [];
  xs.forEach((d, i) => {
    if (i !== axis) shape.push(d);
    else if (keep) shape.push(1);
  });
  return [{ dtype: DataType.INT64, shape }];
};

const ops: Record<string, OpHandler> = { ArgMax: argReduce, ArgMin: argReduce };
for (const name of Object.keys(axesInputSince)) ops[name] = reduce;
export const reduceOps: OpTable = ops;
