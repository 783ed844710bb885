import type { Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { sameAsInput } from './elementwise';

const attention: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const ws = ctx.shape(1);
  const qkv = ctx.ints('qkv_hidden_sizes');
  const wCols = ws?.[1];
  const vHidden: Dim = qkv?.[2] ?? (typeof wCols === 'number' ? wCols / 3 : undefined);
  return [{ dtype: ctx.dtype(0), shape: xs ? [xs[0], xs[1], vHidden] : undefined }, { dtype: ctx.dtype(0) }];
};

const multiHeadAttention: OpHandler = (ctx) => {
  const q = ctx.shape(0);
  const v = ctx.has(2) ? ctx.shape(2) : undefined;
  const hidden = v?.length === 3 ? v[2] : v === undefined && q?.length === 3 ? q[2] : undefined;
  return [{ dtype: ctx.dtype(0), shape: q ? [q[0], q[1], hidden] : undefined }, { dtype: ctx.dtype(0) }, { dtype: ctx.dtype(0) }];
};

const groupQueryAttention: OpHandler = (ctx) => {
  const q = ctx.shape(0);
  const packed = !ctx.has(1);
  return [{ dtype: ctx.dtype(0), shape: q && !packed ? q : q ? [q[0], q[1], undefined] : undefined }, { dtype: ctx.dtype(0) }, { dtype: ctx.dtype(0) }];
};

const embedLayerNorm: OpHandler = (ctx) => {
  const ids = ctx.shape(0);
  const word = ctx.shape(2);
  return [{ dtype: ctx.dtype(2), shape: ids ? [ids[0], ids[1], word?.[1]] : undefined }, { dtype: ctx.dtype(0), shape: ids ? [ids[0]] : undefined }];
};

export const msMiscOps: OpTable = {
  Gelu: sameAsInput,
  FastGelu: sameAsInput,
  BiasGelu: sameAsInput,
  QuickGelu: sameAsInput,
  BiasAdd: sameAsInput,
  BiasSoftmax: sameAsInput,
  RotaryEmbedding: sameAsInput,
  Attention: attention,
  MultiHeadAttention: multiHeadAttention,
  GroupQueryAttention: groupQueryAttention,
  EmbedLayerNormalization: embedLayerNorm,
};
