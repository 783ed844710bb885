import { DataType, type Dim } from '../../model';
import type { OpContext, OpHandler, OpTable } from '../context';
import { broadcast, mergeDim } from '../dims';

/** numpy.matmul shape rules (1-D operands promoted then squeezed, batch dims broadcast). */
export function matmulShape(ctx: OpContext, a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const ka = a2[a2.length - 1];
  const kb = b2[b2.length - 2];
  if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb) {
    ctx.problem(`inner dimensions differ: ${ka} vs ${kb}`);
  }
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]);
  if (batch.error) ctx.problem(batch.error);
  if (!batch.shape) return undefined;
  const out: Dim[] = [...batch.shape];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

const matmul: OpHandler = (ctx) => [{ dtype: ctx.dtype(0), shape: matmulShape(ctx, ctx.shape(0), ctx.shape(1)) }];

const gemm: OpHandler = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  const ta = ctx.int('transA', 0) === 1;
  const tb = ctx.int('transB', 0) === 1;
  const m = a?.length === 2 ? a[ta ? 1 : 0] : undefined;
  const n = b?.length === 2 ? b[tb ? 0 : 1] : undefined;
  return [{ dtype: ctx.dtype(0), shape: [m, n] }];
};

/** com.microsoft FusedMatMul: MatMul with optional transposes of the last two dims. */
const fusedMatMul: OpHandler = (ctx) => {
  const swap = (s: readonly Dim[] | undefined, t: boolean) => (s && t && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  return [{ dtype: ctx.dtype(0), shape: matmulShape(ctx, swap(ctx.shape(0), ctx.int('transA', 0) === 1), swap(ctx.shape(1), ctx.int('transB', 0) === 1)) }];
};

/** com.microsoft MatMulNBits: A [..., K] times packed B -> [..., N], N an attribute. */
const matMulNBits: OpHandler = (ctx) => {
  const a = ctx.shape(0);
  const n = ctx.int('N', -1);
  return [{ dtype: ctx.dtype(0), shape: a ? [...a.slice(0, -1), n >= 0 ? n : undefined] : undefined }];
};

const einsum: OpHandler = (ctx) => {
  const equation = ctx.str('equation', '').replace(/\s+/g, '');
  const inputs = ctx.node.inputs.map((_, i) => ctx.shape(i));
  return [{ dtype: ctx.dtype(0), shape: einsumShape(ctx, equation, inputs) }];
};

export function einsumShape(ctx: OpContext, equation: string, inputs: ReadonlyArray<readonly Dim[] | undefined>): Dim[] | undefined {
  const [lhs, rhs] = equation.split('->');
  if (lhs === undefined) return undefined;
  const terms = lhs.split(',');
  if (terms.length !== inputs.length) {
    ctx.problem(`equation has ${terms.length} operands, node has ${inputs.length} inputs`);
    return undefined;
  }
  const letters = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const ellipses: Array<readonly Dim[]> = [];
  let ellipsisRank: number | undefined;
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t] ?? '';
    const shape = inputs[t];
    const labels = term.replace('...', '').split('');
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    if (!shape) {
      if (term.includes('...')) ellipsisRank = undefined;
      for (const l of labels) if (!letters.has(l)) letters.set(l, undefined);
      continue;
    }
    const ellRank = shape.length - labels.length;
    const at = term.indexOf('...');
    let pos = 0;
    for (let i = 0; i < term.length; i++) {
      if (i === at) {
        ellipses.push(shape.slice(pos, pos + ellRank));
        ellipsisRank = Math.max(ellipsisRank ?? 0, ellRank);
        pos += ellRank;
        i += 2;
        continue;
      }
      const l = term[i] ?? '';
      const d = shape[pos++];
      const prev = letters.get(l);
      letters.set(l, prev === 1 ? d : d === 1 && prev !== undefined ? prev : mergeDim(prev, d));
    }
  }
  const ell = broadcast(ellipses).shape ?? (ellipsisRank === undefined ? undefined : new Array<Dim>(ellipsisRank).fill(undefined));
  const out: Dim[] = [];
  const outLabels = rhs ?? `...${[...counts.entries()].filter(([, c]) => c === 1).map(([l]) => l).sort().join('')}`;
  for (let i = 0; i < outLabels.length; i++) {
    if (outLabels.startsWith('...', i)) {
      if (ellipses.length > 0 && !ell) return undefined;
      out.push(...(ell ?? []));
      i += 2;
    } else out.push(letters.get(outLabels[i] ?? ''));
  }
  return out;
}

export const matmulOps: OpTable = {
  MatMul: matmul,
  MatMulInteger: (ctx) => [{ dtype: DataType.INT32, shape: matmulShape(ctx, ctx.shape(0), ctx.shape(1)) }],
  QLinearMatMul: (ctx) => [{ dtype: ctx.dtype(7) ?? ctx.dtype(0), shape: matmulShape(ctx, ctx.shape(0), ctx.shape(3)) }],
  Gemm: gemm,
  Einsum: einsum,
};

export const msMatmulOps: OpTable = {
  FusedMatMul: fusedMatMul,
  FusedGemm: gemm,
  MatMulNBits: matMulNBits,
  MatMulIntegerToFloat: (ctx) => [{ dtype: ctx.dtype(2) ?? DataType.FLOAT, shape: matmulShape(ctx, ctx.shape(0), ctx.shape(1)) }],
  DynamicQuantizeMatMul: (ctx) => [{ dtype: DataType.FLOAT, shape: matmulShape(ctx, ctx.shape(0), ctx.shape(1)) }],
  QGemm: (ctx) => {
    const a = ctx.shape(0);
    const b = ctx.shape(3);
    const m = a?.length === 2 ? a[ctx.int('transA', 0) === 1 ? 1 : 0] : undefined;
    const n = b?.length === 2 ? b[ctx.int('transB', 0) === 1 ? 0 : 1] : undefined;
    return [{ dtype: ctx.has(8) ? ctx.dtype(8) : DataType.FLOAT, shape: [m, n] }];
  },
};
