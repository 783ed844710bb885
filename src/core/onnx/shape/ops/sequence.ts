import { DataType, type Dim } from '../../model';
import type { OpHandler, OpOutput, OpTable } from '../context';
import { normAxis } from '../dims';
import type { TensorInfo } from '../types';

/** Element type common to several tensors: dims that differ become unknown. */
function joinElements(infos: ReadonlyArray<TensorInfo | undefined>): OpOutput {
  const first = infos[0];
  let shape = first?.shape;
  for (const t of infos.slice(1)) {
    if (!shape || !t?.shape || t.shape.length !== shape.length) shape = undefined;
    else {
      const ts = t.shape;
      shape = shape.map((d, i) => (d === ts[i] ? d : undefined));
    }
  }
  return { dtype: infos.find((t) => t?.dtype !== undefined)?.dtype, shape };
}

const seq = (o: OpOutput): OpOutput => ({ ...o, container: 'sequence' });

const splitToSequence: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!xs) return [seq({ dtype })];
  const axis = normAxis(ctx.int('axis', 0), xs.length);
  if (axis === undefined) return [seq({ dtype })];
  if (!ctx.has(1)) {
    const keep = ctx.int('keepdims', 1) === 1;
    return [seq({ dtype, shape: keep ? xs.map((d, i) => (i === axis ? 1 : d)) : xs.filter((_, i) => i !== axis) })];
  }
  const split = ctx.value(1);
  let d: Dim;
  if (split && split.dims.length === 0 && typeof split.data[0] === 'number' && typeof xs[axis] === 'number') {
    d = (xs[axis] as number) % split.data[0] === 0 ? split.data[0] : undefined;
  } else if (split && split.data.length > 0 && split.data.every((x) => x === split.data[0])) d = split.data[0];
  return [seq({ dtype, shape: xs.map((x, i) => (i === axis ? d : x)) })];
};

const concatFromSequence: OpHandler = (ctx) => {
  const e = ctx.info(0);
  if (!e?.shape) return [{ dtype: e?.dtype }];
  const newAxis = ctx.int('new_axis', 0) === 1;
  const rank = e.shape.length + (newAxis ? 1 : 0);
  const axis = normAxis(ctx.int('axis', 0), rank);
  if (axis === undefined) return [{ dtype: e.dtype }];
  const shape = [...e.shape];
  if (newAxis) shape.splice(axis, 0, undefined);
  else shape[axis] = undefined;
  return [{ dtype: e.dtype, shape }];
};

const element = (i: number): OpHandler => (ctx) => {
  const t = ctx.info(i);
  return [{ dtype: t?.dtype, shape: t?.shape }];
};

export const sequenceOps: OpTable = {
  SequenceConstruct: (ctx) => [seq(joinElements(ctx.node.inputs.map((_, i) => ctx.info(i))))],
  SequenceEmpty: (ctx) => [seq({ dtype: ctx.int('dtype', DataType.FLOAT) as DataType })],
  SequenceInsert: (ctx) => [seq(joinElements([ctx.info(0), ctx.info(1)]))],
  SequenceErase: (ctx) => [seq({ dtype: ctx.dtype(0), shape: ctx.shape(0) })],
  SequenceAt: element(0),
  SequenceLength: () => [{ dtype: DataType.INT64, shape: [] }],
  SplitToSequence: splitToSequence,
  ConcatFromSequence: concatFromSequence,
  Optional: (ctx) => [{ dtype: ctx.dtype(0), shape: ctx.shape(0), container: 'optional' }],
  OptionalGetElement: element(0),
  OptionalHasElement: () => [{ dtype: DataType.BOOL, shape: [] }],
};
