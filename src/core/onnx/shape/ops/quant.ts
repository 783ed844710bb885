import { DataType } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { broadcast } from '../dims';

const quantize: OpHandler = (ctx) => {
  const outAttr = ctx.int('output_dtype', 0);
  const dtype = ctx.has(2) ? ctx.dtype(2) : outAttr ? (outAttr as DataType) : DataType.UINT8;
  return [{ dtype, shape: ctx.shape(0) }];
};

const dequantize: OpHandler = (ctx) => {
  // Opset 19+ outputs the scale's type (float16/bfloat16 allowed); before, always float.
  const dtype = ctx.opset >= 19 ? ctx.dtype(1) ?? DataType.FLOAT : DataType.FLOAT;
  return [{ dtype, shape: ctx.shape(0) }];
};

const dynamicQuantize: OpHandler = (ctx) => [
  { dtype: DataType.UINT8, shape: ctx.shape(0) },
  { dtype: DataType.FLOAT, shape: [] },
  { dtype: DataType.UINT8, shape: [] },
];

export const quantOps: OpTable = {
  QuantizeLinear: quantize,
  DequantizeLinear: dequantize,
  DynamicQuantizeLinear: dynamicQuantize,
};

/** com.microsoft QLinearAdd/QLinearMul: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp. */
const qlinearBinary: OpHandler = (ctx) => {
  const b = broadcast([ctx.shape(0), ctx.shape(3)]);
  return [{ dtype: ctx.dtype(7) ?? ctx.dtype(0), shape: b.shape }];
};

const qlinearUnary: OpHandler = (ctx) => [{ dtype: ctx.dtype(0), shape: ctx.shape(0) }];

export const msQuantOps: OpTable = {
  QLinearAdd: qlinearBinary,
  QLinearMul: qlinearBinary,
  QLinearSigmoid: qlinearUnary,
  QLinearLeakyRelu: qlinearUnary,
  QLinearSoftmax: qlinearUnary,
  QuantizeLinear: quantize,
  DequantizeLinear: (ctx) => [{ dtype: ctx.dtype(1) ?? DataType.FLOAT, shape: ctx.shape(0) }],
};
