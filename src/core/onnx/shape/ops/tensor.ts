import { DataType, type Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import { broadcast, normAxis, numel } from '../dims';
import type { ConstValue, Elem } from '../types';
import { concreteNumbers, vectorValue } from '../values';
import { addSymbolic } from '../symbolic';
import { concatShape, dimProduct, elemAsDim, intsFromAttrOrInput } from './shapeHelpers';

const INT64_MAX_ISH = 2 ** 62;

const reshape: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  let target: readonly Elem[] | undefined;
  if (ctx.opset < 5) target = ctx.ints('shape');
  else {
    target = ctx.value(1)?.data;
    if (!target) {
      const ts = ctx.shape(1);
      ctx.problem('shape input not constant');
      const n = ts?.[0];
      return [{ dtype: ctx.dtype(0), shape: typeof n === 'number' ? new Array<Dim>(n).fill(undefined) : undefined }];
    }
  }
  if (!target) return [{ dtype: ctx.dtype(0) }];
  const allowZero = ctx.int('allowzero', 0) === 1;
  let inferAt = -1;
  const out: Dim[] = target.map((t, i) => {
    if (t === 0 && !allowZero) return xs ? xs[i] : undefined;
    if (t === -1) {
      inferAt = i;
      return undefined;
    }
    return elemAsDim(t);
  });
  if (inferAt >= 0 && xs) out[inferAt] = inferredDim(xs, out.filter((_, i) => i !== inferAt));
  const v = ctx.value(0);
  const value = v && out.every((d) => typeof d === 'number') ? { dims: out as number[], data: v.data } : undefined;
  return [{ dtype: ctx.dtype(0), shape: out, value }];
};

/** The -1 of a Reshape: input size divided by the other output dims, with symbols cancelling. */
function inferredDim(input: readonly Dim[], others: readonly Dim[]): Dim {
  let inNum = 1;
  let outNum = 1;
  const syms: string[] = [];
  for (const d of input) {
    if (typeof d === 'number') inNum *= d;
    else if (typeof d === 'string') syms.push(d);
    else return undefined;
  }
  for (const d of others) {
    if (typeof d === 'number') outNum *= d;
    else if (typeof d === 'string') {
      const at = syms.indexOf(d);
      if (at < 0) return undefined;
      syms.splice(at, 1);
    } else return undefined;
  }
  if (outNum === 0) return undefined;
  if (syms.length === 0) return inNum % outNum === 0 ? inNum / outNum : undefined;
  return syms.length === 1 && inNum === outNum ? syms[0] : undefined;
}

const flatten: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const axis = ctx.int('axis', 1);
  const a = axis < 0 ? axis + xs.length : axis;
  return [{ dtype: ctx.dtype(0), shape: [dimProduct(xs.slice(0, a)), dimProduct(xs.slice(a))] }];
};

const transpose: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const perm = ctx.ints('perm') ?? xs.map((_, i) => xs.length - 1 - i);
  return [{ dtype: ctx.dtype(0), shape: perm.map((p) => xs[p]) }];
};

const squeeze: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const axes = intsFromAttrOrInput(ctx, 'axes', 1, 13);
  const v = ctx.value(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  if (axes === 'unknown') {
    ctx.problem('axes input not constant');
    return [{ dtype: ctx.dtype(0) }];
  }
  let shape: Dim[] | undefined;
  if (!axes || axes.length === 0) {
    shape = xs.every((d) => typeof d === 'number') ? xs.filter((d) => d !== 1) : undefined;
  } else {
    const drop = new Set(axes.map((a) => (a < 0 ? a + xs.length : a)));
    shape = xs.filter((_, i) => !drop.has(i));
  }
  const value = v && shape && shape.every((d) => typeof d === 'number') ? { dims: shape as number[], data: v.data } : undefined;
  return [{ dtype: ctx.dtype(0), shape, value }];
};

const unsqueeze: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const axes = intsFromAttrOrInput(ctx, 'axes', 1, 13);
  if (axes === 'unknown' || !axes) {
    ctx.problem('axes not constant');
    return [{ dtype: ctx.dtype(0) }];
  }
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const rank = xs.length + axes.length;
  const ones = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const shape: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(ones.has(i) ? 1 : xs[k++]);
  const v = ctx.value(0);
  const value = v && shape.every((d) => typeof d === 'number') ? { dims: shape as number[], data: v.data } : undefined;
  return [{ dtype: ctx.dtype(0), shape, value }];
};

const concat: OpHandler = (ctx) => {
  const indices = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
  const shapes = indices.map((i) => ctx.shape(i));
  const dtype = indices.map((i) => ctx.dtype(i)).find((d) => d !== undefined);
  const rank = shapes.find((s) => s !== undefined)?.length;
  if (rank === undefined) return [{ dtype }];
  const axis = normAxis(ctx.int('axis', ctx.opset < 4 ? 1 : 0), rank);
  if (axis === undefined) {
    ctx.problem('axis out of range');
    return [{ dtype }];
  }
  const out = concatShape(shapes, rank, axis);
  let value: ConstValue | undefined;
  if (axis === 0) {
    const values = indices.map((i) => ctx.value(i));
    if (values.every((v) => v !== undefined) && out.every((d) => typeof d === 'number')) {
      value = { dims: out as number[], data: values.flatMap((v) => v?.data ?? []) };
    }
  }
  return [{ dtype, shape: out, value }];
};

const split: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const n = ctx.node.outputs.length;
  const dtype = ctx.dtype(0);
  if (!xs) return ctx.node.outputs.map(() => ({ dtype }));
  const axis = normAxis(ctx.int('axis', 0), xs.length);
  if (axis === undefined) return ctx.node.outputs.map(() => ({ dtype }));
  const sizes = intsFromAttrOrInput(ctx, 'split', 1, 13);
  const d = xs[axis];
  let parts: Dim[];
  if (sizes === 'unknown') parts = new Array<Dim>(n).fill(undefined);
  else if (sizes && sizes.length > 0) parts = sizes;
  else if (typeof d === 'number') {
    const chunk = Math.ceil(d / n);
    parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
  } else parts = new Array<Dim>(n).fill(undefined);
  return parts.map((p) => ({ dtype, shape: xs.map((x, i) => (i === axis ? p : x)) }));
};

/** One axis of a Slice; undefined when the data decides. */
function sliceDim(d: Dim, start: number, end: number, step: number): Dim {
  if (typeof d !== 'number') {
    return start === 0 && step === 1 && end >= INT64_MAX_ISH / 4 ? d : undefined;
  }
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), d);
    e = Math.min(Math.max(e, 0), d);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  s = Math.min(Math.max(s, 0), d - 1);
  e = Math.min(Math.max(e, -1), d - 1);
  return Math.max(0, Math.ceil((s - e) / -step));
}

const slice: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!xs) return [{ dtype }];
  const legacy = ctx.opset < 10;
  const starts = legacy ? ctx.ints('starts') : concreteNumbers(ctx.value(1));
  const ends = legacy ? ctx.ints('ends') : concreteNumbers(ctx.value(2));
  const axesRaw = legacy ? ctx.ints('axes') : ctx.has(3) ? concreteNumbers(ctx.value(3)) ?? 'unknown' : undefined;
  const steps = legacy ? undefined : ctx.has(4) ? concreteNumbers(ctx.value(4)) ?? 'unknown' : undefined;
  if (axesRaw === 'unknown') {
    ctx.problem('axes input not constant');
    return [{ dtype, shape: xs.map(() => undefined) }];
  }
  const axes = (axesRaw ?? (starts ?? []).map((_, i) => i)).map((a) => (a < 0 ? a + xs.length : a));
  if (!starts || !ends || steps === 'unknown') {
    ctx.problem('starts/ends/steps not constant');
    const unknownAxes = axesRaw ? new Set(axes) : undefined;
    return [{ dtype, shape: xs.map((d, i) => (unknownAxes && !unknownAxes.has(i) ? d : undefined)) }];
  }
  const shape = [...xs];
  axes.forEach((a, i) => {
    shape[a] = sliceDim(xs[a], starts[i] ?? 0, ends[i] ?? INT64_MAX_ISH, steps?.[i] ?? 1);
  });
  let value: ConstValue | undefined;
  const v = ctx.value(0);
  if (v && v.dims.length === 1 && axes.length === 1 && axes[0] === 0) {
    const d = v.dims[0] ?? 0;
    const step = steps?.[0] ?? 1;
    let s = starts[0] ?? 0;
    let e = ends[0] ?? d;
    s = s < 0 ? s + d : s;
    e = e < 0 ? e + d : e;
    const data: Elem[] = [];
    if (step > 0) for (let i = Math.max(0, s); i < Math.min(e, d); i += step) data.push(v.data[i]);
    else for (let i = Math.min(s, d - 1); i > Math.max(e, -1); i += step) data.push(v.data[i]);
    value = vectorValue(data);
  }
  return [{ dtype, shape, value }];
};

const gather: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const is = ctx.shape(1);
  const dtype = ctx.dtype(0);
  if (!xs || !is) return [{ dtype }];
  const axis = normAxis(ctx.int('axis', 0), xs.length);
  if (axis === undefined) {
    ctx.problem('axis out of range');
    return [{ dtype }];
  }
  const shape = [...xs.slice(0, axis), ...is, ...xs.slice(axis + 1)];
  const data = ctx.value(0);
  const idx = concreteNumbers(ctx.value(1));
  let value: ConstValue | undefined;
  if (data && idx && shape.every((d) => typeof d === 'number')) {
    const dims = data.dims;
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const n = dims[axis] ?? 0;
    const out: Elem[] = [];
    for (let o = 0; o < outer; o++) {
      for (const raw of idx) {
        const j = raw < 0 ? raw + n : raw;
        for (let k = 0; k < inner; k++) out.push(j >= 0 && j < n ? data.data[(o * n + j) * inner + k] : undefined);
      }
    }
    value = { dims: shape as number[], data: out };
  }
  return [{ dtype, shape, value }];
};

const gatherND: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const is = ctx.shape(1);
  const b = ctx.int('batch_dims', 0);
  if (!xs || !is || is.length === 0) return [{ dtype: ctx.dtype(0) }];
  const last = is[is.length - 1];
  if (typeof last !== 'number') return [{ dtype: ctx.dtype(0) }];
  return [{ dtype: ctx.dtype(0), shape: [...is.slice(0, -1), ...xs.slice(b + last)] }];
};

const shapeOp: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: DataType.INT64, shape: [undefined] }];
  const r = xs.length;
  const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + r : x, 0), r);
  const start = clamp(ctx.int('start', 0));
  const end = clamp(ctx.int('end', r));
  const dims = xs.slice(start, Math.max(start, end));
  return [{ dtype: DataType.INT64, shape: [dims.length], value: vectorValue(dims) }];
};

const size: OpHandler = (ctx) => {
  const n = numel(ctx.shape(0));
  return [{ dtype: DataType.INT64, shape: [], value: n === undefined ? undefined : { dims: [], data: [n] } }];
};

const expand: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const v = ctx.value(1);
  let target: Dim[] | undefined;
  if (v) target = v.data.map((e) => elemAsDim(e));
  else {
    const n = ctx.shape(1)?.[0];
    if (typeof n === 'number') target = new Array<Dim>(n).fill(undefined);
    ctx.problem('shape input not constant');
  }
  if (!target) return [{ dtype: ctx.dtype(0) }];
  const b = broadcast([xs, target]);
  if (b.error) ctx.problem(b.error);
  return [{ dtype: ctx.dtype(0), shape: b.shape }];
};

const tile: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const reps = concreteNumbers(ctx.value(1));
  if (!reps) ctx.problem('repeats input not constant');
  return [{ dtype: ctx.dtype(0), shape: xs.map((d, i) => (reps && typeof d === 'number' ? d * (reps[i] ?? 1) : reps?.[i] === 1 ? d : undefined)) }];
};

const pad: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const pads = ctx.opset < 11 ? ctx.ints('pads') ?? ctx.ints('paddings') : concreteNumbers(ctx.value(1));
  if (!pads) {
    ctx.problem('pads not constant');
    return [{ dtype: ctx.dtype(0), shape: xs.map(() => undefined) }];
  }
  let axes = xs.map((_, i) => i);
  if (ctx.opset >= 18 && ctx.has(3)) {
    const a = concreteNumbers(ctx.value(3));
    if (!a) return [{ dtype: ctx.dtype(0), shape: xs.map(() => undefined) }];
    axes = a.map((x) => (x < 0 ? x + xs.length : x));
  }
  const shape = [...xs];
  const n = axes.length;
  axes.forEach((a, i) => {
    const d = xs[a];
    shape[a] = addSymbolic(d, (pads[i] ?? 0) + (pads[i + n] ?? 0), 1);
  });
  return [{ dtype: ctx.dtype(0), shape }];
};

function scaledDims(xs: readonly Dim[], scales: readonly number[], axes: readonly number[] | undefined): Dim[] {
  const out = [...xs];
  const targets = axes ?? xs.map((_, i) => i);
  targets.forEach((a, i) => {
    const d = xs[a];
    const s = scales[i] ?? 1;
    out[a] = typeof d === 'number' ? Math.floor(d * s + 1e-6) : s === 1 ? d : undefined;
  });
  return out;
}

const resize: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!xs) return [{ dtype }];
  const axesAttr = ctx.ints('axes')?.map((a) => (a < 0 ? a + xs.length : a));
  const scalesIdx = ctx.opset < 11 ? 1 : 2;
  const sizesV = ctx.opset >= 11 && ctx.has(3) ? ctx.value(3) : undefined;
  const scalesV = ctx.has(scalesIdx) ? ctx.value(scalesIdx) : undefined;
  if (sizesV && sizesV.data.length > 0) {
    const out = [...xs];
    const targets = axesAttr ?? xs.map((_, i) => i);
    targets.forEach((a, i) => (out[a] = elemAsDim(sizesV.data[i])));
    const policy = ctx.str('keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') {
      // One scale for all resized axes: the smallest (not_larger) or largest (not_smaller) ratio.
      const ratios = targets.map((a, i) => {
        const d = xs[a];
        const want = sizesV.data[i];
        return typeof d === 'number' && typeof want === 'number' && d > 0 ? want / d : undefined;
      });
      if (ratios.some((r) => r === undefined)) return [{ dtype, shape: xs.map((d, i) => (targets.includes(i) ? undefined : d)) }];
      const scale = policy === 'not_larger' ? (ratios as number[]).reduce((a, b) => Math.min(a, b), Infinity) : (ratios as number[]).reduce((a, b) => Math.max(a, b), -Infinity);
      for (const a of targets) out[a] = Math.round(scale * (xs[a] as number));
    }
    return [{ dtype, shape: out }];
  }
  const scales = concreteNumbers(scalesV);
  if (scales && scales.length > 0) return [{ dtype, shape: scaledDims(xs, scales, axesAttr) }];
  ctx.problem('scales/sizes not constant');
  return [{ dtype, shape: xs.map(() => undefined) }];
};

const upsample: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const scales = ctx.opset < 9 ? ctx.floats('scales') : concreteNumbers(ctx.value(1));
  if (!scales) {
    ctx.problem('scales not constant');
    return [{ dtype: ctx.dtype(0), shape: xs.map(() => undefined) }];
  }
  return [{ dtype: ctx.dtype(0), shape: scaledDims(xs, scales, undefined) }];
};

const range: OpHandler = (ctx) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.value(i)?.data[0]);
  const dtype = ctx.dtype(0);
  if (typeof start !== 'number' || typeof limit !== 'number' || typeof delta !== 'number' || delta === 0) {
    // Range(s, s + n, 1) has n elements even when s and n are symbolic.
    const span = delta === 1 ? addSymbolic(limit, start, -1) : delta === -1 ? addSymbolic(start, limit, -1) : undefined;
    return [{ dtype, shape: [typeof span === 'string' ? span : ctx.fresh()] }];
  }
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  const value = n <= ctx.maxFold ? vectorValue(Array.from({ length: n }, (_, i) => start + i * delta)) : undefined;
  return [{ dtype, shape: [n], value }];
};

const constantOfShape: OpHandler = (ctx) => {
  const t = ctx.tensor('value');
  const dtype = t?.dataType ?? DataType.FLOAT;
  const v = ctx.value(0);
  if (!v) {
    const n = ctx.shape(0)?.[0];
    ctx.problem('shape input not constant');
    return [{ dtype, shape: typeof n === 'number' ? new Array<Dim>(n).fill(undefined) : undefined }];
  }
  const shape = v.data.map(elemAsDim);
  const fill = t ? ctx.tensorValue(t)?.data[0] : 0;
  const n = numel(shape);
  const value = n !== undefined && n <= ctx.maxFold && fill !== undefined ? { dims: shape as number[], data: new Array<Elem>(n).fill(fill) } : undefined;
  return [{ dtype, shape, value }];
};

const constant: OpHandler = (ctx) => {
  const t = ctx.tensor('value');
  if (t) return [{ dtype: t.dataType, shape: t.dims, value: ctx.tensorValue(t) }];
  const sparse = ctx.attr('sparse_value');
  if (sparse?.type === 'sparseTensor') return [{ dtype: sparse.value.values.dataType, shape: sparse.value.dims }];
  const f = ctx.attr('value_float');
  if (f?.type === 'float') return [{ dtype: DataType.FLOAT, shape: [], value: { dims: [], data: [f.value] } }];
  const fs = ctx.floats('value_floats');
  if (fs) return [{ dtype: DataType.FLOAT, shape: [fs.length], value: vectorValue(fs) }];
  const i = ctx.attr('value_int');
  if (i?.type === 'int') return [{ dtype: DataType.INT64, shape: [], value: { dims: [], data: [Number(i.value)] } }];
  const is = ctx.ints('value_ints');
  if (is) return [{ dtype: DataType.INT64, shape: [is.length], value: vectorValue(is) }];
  if (ctx.attr('value_string')) return [{ dtype: DataType.STRING, shape: [] }];
  const ss = ctx.attr('value_strings');
  if (ss?.type === 'strings') return [{ dtype: DataType.STRING, shape: [ss.value.length] }];
  ctx.problem('Constant without a value attribute');
  return [{}];
};

const oneHot: OpHandler = (ctx) => {
  const is = ctx.shape(0);
  const depth = ctx.value(1)?.data[0];
  if (!is) return [{ dtype: ctx.dtype(2) }];
  const rank = is.length + 1;
  const axis = normAxis(ctx.int('axis', -1), rank) ?? rank - 1;
  const shape = [...is];
  shape.splice(axis, 0, typeof depth === 'number' ? depth : undefined);
  return [{ dtype: ctx.dtype(2), shape }];
};

const topK: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  if (!xs) return [{ dtype: ctx.dtype(0) }, { dtype: DataType.INT64 }];
  const axis = normAxis(ctx.int('axis', -1), xs.length);
  const k = ctx.opset < 10 ? ctx.int('k', -1) : ctx.value(1)?.data[0];
  if (k === undefined) ctx.problem('K input not constant');
  const shape = xs.map((d, i) => (i === axis ? elemAsDim(k) : d));
  return [{ dtype: ctx.dtype(0), shape }, { dtype: DataType.INT64, shape }];
};

const nonZero: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  return [{ dtype: DataType.INT64, shape: [xs?.length, ctx.fresh()] }];
};

const nms: OpHandler = (ctx) => [{ dtype: DataType.INT64, shape: [ctx.fresh(), 3] }];

const unique: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const axisAttr = ctx.attr('axis');
  const n = ctx.fresh();
  let y: Dim[] | undefined = [n];
  let inverse: Dim[] | undefined = [numel(xs)];
  if (axisAttr && xs) {
    const axis = normAxis(ctx.int('axis', 0), xs.length);
    y = axis === undefined ? undefined : xs.map((d, i) => (i === axis ? n : d));
    inverse = axis === undefined ? undefined : [xs[axis]];
  }
  return [{ dtype: ctx.dtype(0), shape: y }, { dtype: DataType.INT64, shape: [n] }, { dtype: DataType.INT64, shape: inverse }, { dtype: DataType.INT64, shape: [n] }];
};

const compress: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  const axisAttr = ctx.attr('axis');
  if (!axisAttr) return [{ dtype: ctx.dtype(0), shape: [ctx.fresh()] }];
  if (!xs) return [{ dtype: ctx.dtype(0) }];
  const axis = normAxis(ctx.int('axis', 0), xs.length);
  const n = ctx.fresh();
  return [{ dtype: ctx.dtype(0), shape: xs.map((d, i) => (i === axis ? n : d)) }];
};

const likeWithDtype: OpHandler = (ctx) => {
  const dt = ctx.attr('dtype');
  return [{ dtype: dt?.type === 'int' ? (Number(dt.value) as DataType) : ctx.dtype(0), shape: ctx.shape(0) }];
};

const randomWithShape: OpHandler = (ctx) => [{ dtype: ctx.int('dtype', DataType.FLOAT) as DataType, shape: ctx.ints('shape') }];

const multinomial: OpHandler = (ctx) => [{ dtype: ctx.int('dtype', DataType.INT32) as DataType, shape: [ctx.shape(0)?.[0], ctx.int('sample_size', 1)] }];

const gatherElements: OpHandler = (ctx) => [{ dtype: ctx.dtype(0), shape: ctx.shape(1) }];

const det: OpHandler = (ctx) => {
  const xs = ctx.shape(0);
  return [{ dtype: ctx.dtype(0), shape: xs ? xs.slice(0, -2) : undefined }];
};

export const tensorOps: OpTable = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  GatherElements: gatherElements,
  GatherND: gatherND,
  Shape: shapeOp,
  Size: size,
  Expand: expand,
  Tile: tile,
  Pad: pad,
  Resize: resize,
  Upsample: upsample,
  Range: range,
  ConstantOfShape: constantOfShape,
  Constant: constant,
  OneHot: oneHot,
  TopK: topK,
  NonZero: nonZero,
  NonMaxSuppression: nms,
  Unique: unique,
  Compress: compress,
  EyeLike: likeWithDtype,
  RandomNormalLike: likeWithDtype,
  RandomUniformLike: likeWithDtype,
  Bernoulli: likeWithDtype,
  RandomNormal: randomWithShape,
  RandomUniform: randomWithShape,
  Multinomial: multinomial,
  Det: det,
};
