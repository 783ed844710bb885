import { DataType, type Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';
import type { TensorInfo } from '../types';
import { elemAsDim } from './shapeHelpers';

/** Same-rank dims that agree stay; those that differ between branches or iterations are unknown. */
function join(a: TensorInfo | undefined, b: TensorInfo | undefined): TensorInfo {
  const dtype = a?.dtype ?? b?.dtype;
  if (!a?.shape || !b?.shape || a.shape.length !== b.shape.length) return { dtype, shape: undefined };
  const bs = b.shape;
  return { dtype, shape: a.shape.map((d, i) => (d === bs[i] ? d : undefined)) };
}

const ifOp: OpHandler = (ctx) => {
  const thenG = ctx.graph('then_branch');
  const elseG = ctx.graph('else_branch');
  const thenOut = thenG ? ctx.inferSubgraph(thenG, [], 'then_branch') : [];
  const elseOut = elseG ? ctx.inferSubgraph(elseG, [], 'else_branch') : [];
  const cond = ctx.value(0)?.data[0];
  if (typeof cond === 'number') return (cond ? thenOut : elseOut).map((t) => ({ ...t }));
  return ctx.node.outputs.map((_, i) => join(thenOut[i], elseOut[i]));
};

const loop: OpHandler = (ctx) => {
  const body = ctx.graph('body');
  const carried = ctx.node.inputs.slice(2).map((_, i) => ctx.info(i + 2));
  if (!body) return [];
  const bodyIn: Array<TensorInfo | undefined> = [{ dtype: DataType.INT64, shape: [] }, { dtype: DataType.BOOL, shape: [] }, ...carried];
  const bodyOut = ctx.inferSubgraph(body, bodyIn, 'body');
  const n = carried.length;
  const finals = carried.map((c, i) => join(c, bodyOut[i + 1]));
  const m = ctx.has(0) ? ctx.value(0)?.data[0] : undefined;
  const trips: Dim = typeof m === 'number' && !ctx.has(1) ? elemAsDim(m) : ctx.fresh();
  const scans = bodyOut.slice(1 + n).map((t) => ({ dtype: t.dtype, shape: t.shape ? [trips, ...t.shape] : undefined }));
  return [...finals, ...scans];
};

function removeAxis(shape: readonly Dim[] | undefined, axis: number): Dim[] | undefined {
  if (!shape) return undefined;
  const a = axis < 0 ? axis + shape.length : axis;
  return shape.filter((_, i) => i !== a);
}

function insertAxis(shape: readonly Dim[] | undefined, axis: number, d: Dim): Dim[] | undefined {
  if (!shape) return undefined;
  const a = axis < 0 ? axis + shape.length + 1 : axis;
  const out = [...shape];
  out.splice(a, 0, d);
  return out;
}

const scan: OpHandler = (ctx) => {
  const body = ctx.graph('body');
  if (!body) return [];
  const m = ctx.int('num_scan_inputs', 0);
  const legacy = ctx.opset < 9;
  const first = legacy ? 1 : 0;
  const all = ctx.node.inputs.slice(first).map((_, i) => ctx.info(i + first));
  const n = all.length - m;
  const states = all.slice(0, n);
  const scans = all.slice(n);
  const inAxes = ctx.ints('scan_input_axes') ?? scans.map(() => 0);
  const outAxes = ctx.ints('scan_output_axes');
  let seq: Dim;
  let batch: Dim;
  const bodyIn: Array<TensorInfo | undefined> = [];
  if (legacy) {
    // Opset 8: a leading batch axis on every input, the scan axis is 1.
    batch = scans[0]?.shape?.[0];
    seq = scans[0]?.shape?.[1];
    for (const s of states) bodyIn.push({ dtype: s?.dtype, shape: s?.shape?.slice(1) });
    for (const s of scans) bodyIn.push({ dtype: s?.dtype, shape: s?.shape?.slice(2) });
  } else {
    const s0 = scans[0]?.shape;
    const a0 = inAxes[0] ?? 0;
    seq = s0 ? s0[a0 < 0 ? a0 + s0.length : a0] : undefined;
    for (const s of states) bodyIn.push(s);
    scans.forEach((s, i) => bodyIn.push({ dtype: s?.dtype, shape: removeAxis(s?.shape, inAxes[i] ?? 0) }));
  }
  const bodyOut = ctx.inferSubgraph(body, bodyIn, 'body');
  const out: TensorInfo[] = [];
  for (let i = 0; i < n; i++) {
    const t = join(bodyIn[i], bodyOut[i]);
    out.push(legacy ? { dtype: t.dtype, shape: t.shape ? [batch, ...t.shape] : undefined } : t);
  }
  bodyOut.slice(n).forEach((t, k) => {
    if (legacy) out.push({ dtype: t.dtype, shape: t.shape ? [batch, seq, ...t.shape] : undefined });
    else out.push({ dtype: t.dtype, shape: insertAxis(t.shape, outAxes?.[k] ?? 0, seq) });
  });
  return out;
};

export const controlOps: OpTable = {
  If: ifOp,
  Loop: loop,
  Scan: scan,
};
