import { DataType } from '../../model';
import type { OpContext, OpHandler, OpOutput, OpTable } from '../context';
import { broadcast } from '../dims';
import { isIntegerType } from '../dtypes';
import type { ConstValue, Elem } from '../types';
import { broadcastIndex, foldBinary, type BinaryOp } from '../values';

/** Output = input 0 in type and shape (activations, normalisations, Identity, ...). */
export const sameAsInput: OpHandler = (ctx) => [{ dtype: ctx.dtype(0), shape: ctx.shape(0), value: identityValue(ctx) }];

function identityValue(ctx: OpContext): ConstValue | undefined {
  return ctx.node.opType === 'Identity' ? ctx.value(0) : undefined;
}

const unaryFolds: Readonly<Record<string, (x: number) => number>> = {
  Neg: (x) => -x,
  Abs: Math.abs,
  Floor: Math.floor,
  Ceil: Math.ceil,
  Sqrt: Math.sqrt,
  Not: (x) => (x ? 0 : 1),
  Relu: (x) => Math.max(0, x),
  Sign: Math.sign,
};

const unaryFold: OpHandler = (ctx) => {
  const v = ctx.value(0);
  const f = unaryFolds[ctx.node.opType];
  const value = v && f ? { dims: v.dims, data: v.data.map((x) => (typeof x === 'number' ? f(x) : undefined)) } : undefined;
  return [{ dtype: ctx.node.opType === 'Not' ? DataType.BOOL : ctx.dtype(0), shape: ctx.shape(0), value }];
};

const boolOut: OpHandler = (ctx) => [{ dtype: DataType.BOOL, shape: ctx.shape(0) }];

function broadcastInputs(ctx: OpContext, indices: readonly number[]): OpOutput['shape'] {
  const b = broadcast(indices.map((i) => ctx.shape(i)));
  if (b.error) ctx.problem(b.error);
  return b.shape;
}

function binary(op: BinaryOp | undefined, outType: 'first' | 'bool'): OpHandler {
  return (ctx) => {
    const dtype = outType === 'bool' ? DataType.BOOL : ctx.dtype(0) ?? ctx.dtype(1);
    const shape = broadcastInputs(ctx, [0, 1]);
    const a = ctx.value(0);
    const b = ctx.value(1);
    const value = op && a && b ? foldBinary(op, a, b, isIntegerType(ctx.dtype(0)), ctx.maxFold) : undefined;
    return [{ dtype, shape, value }];
  };
}

const variadic: OpHandler = (ctx) => {
  const indices = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
  let value: ConstValue | undefined;
  const op = ctx.node.opType === 'Max' || ctx.node.opType === 'Min' ? ctx.node.opType : ctx.node.opType === 'Sum' ? 'Add' : undefined;
  if (op) {
    for (const i of indices) {
      const v = ctx.value(i);
      if (!v) { value = undefined; break; }
      value = value ? foldBinary(op, value, v, isIntegerType(ctx.dtype(0)), ctx.maxFold) : v;
    }
  }
  return [{ dtype: ctx.dtype(indices[0] ?? 0), shape: broadcastInputs(ctx, indices), value }];
};

const where: OpHandler = (ctx) => {
  const shape = broadcastInputs(ctx, [0, 1, 2]);
  const c = ctx.value(0);
  const x = ctx.value(1);
  const y = ctx.value(2);
  let value: ConstValue | undefined;
  if (c && x && y && shape && shape.every((d) => typeof d === 'number')) {
    const dims = shape as number[];
    const n = dims.reduce((p, d) => p * d, 1);
    if (n <= ctx.maxFold) {
      const data: Elem[] = [];
      const pick = (v: ConstValue, i: number) => v.data[broadcastIndex(i, dims, v.dims)];
      for (let i = 0; i < n; i++) {
        const cond = pick(c, i);
        data.push(cond === undefined || typeof cond === 'string' ? undefined : cond ? pick(x, i) : pick(y, i));
      }
      value = { dims, data };
    }
  }
  return [{ dtype: ctx.dtype(1) ?? ctx.dtype(2), shape, value }];
};

function castValue(v: ConstValue | undefined, to: DataType): ConstValue | undefined {
  if (!v) return undefined;
  if (to === DataType.BOOL) return { dims: v.dims, data: v.data.map((x) => (typeof x === 'number' ? (x ? 1 : 0) : undefined)) };
  if (isIntegerType(to)) return { dims: v.dims, data: v.data.map((x) => (typeof x === 'number' ? Math.trunc(x) : x)) };
  return v;
}

const cast: OpHandler = (ctx) => {
  const to = ctx.int('to', 0) as DataType;
  return [{ dtype: to || undefined, shape: ctx.shape(0), value: castValue(ctx.value(0), to) }];
};

const castLike: OpHandler = (ctx) => {
  const to = ctx.dtype(1);
  return [{ dtype: to, shape: ctx.shape(0), value: to === undefined ? undefined : castValue(ctx.value(0), to) }];
};

const dropout: OpHandler = (ctx) => [
  { dtype: ctx.dtype(0), shape: ctx.shape(0), value: ctx.value(0) },
  { dtype: DataType.BOOL, shape: ctx.shape(0) },
];

const sameAsInputNames = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign',
  'Exp', 'Log', 'Reciprocal', 'Round', 'Erf', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh',
  'Asinh', 'Acosh', 'Atanh', 'Identity', 'Clip', 'Softmax', 'LogSoftmax', 'Hardmax', 'LRN', 'Mish', 'Gelu', 'Shrink',
  'ThresholdedRelu', 'MeanVarianceNormalization', 'LpNormalization', 'Trilu', 'CumSum', 'ReverseSequence', 'BitwiseNot',
  'InstanceNormalization', 'GroupNormalization', 'ScatterElements', 'Scatter', 'ScatterND', 'Swish',
];

const ops: Record<string, OpHandler> = {};
for (const n of sameAsInputNames) ops[n] = sameAsInput;
for (const n of Object.keys(unaryFolds)) ops[n] = unaryFold;
for (const n of ['IsNaN', 'IsInf']) ops[n] = boolOut;
for (const n of ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow'] as const) ops[n] = binary(n, 'first');
for (const n of ['BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor']) ops[n] = binary(undefined, 'first');
// The slope broadcasts to X (unidirectionally): Y always has X's shape.
ops['PRelu'] = sameAsInput;
for (const n of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or'] as const) ops[n] = binary(n, 'bool');
ops['Xor'] = binary(undefined, 'bool');
for (const n of ['Sum', 'Max', 'Min', 'Mean']) ops[n] = variadic;
ops['Where'] = where;
ops['Cast'] = cast;
ops['CastLike'] = castLike;
ops['Dropout'] = dropout;

export const elementwiseOps: OpTable = ops;
