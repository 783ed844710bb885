/**
 * onnxruntime returns graph outputs only. To read intermediate tensors (calibration
 * statistics, per-tensor quantization error) we run a copy of the model that lists them as
 * extra graph outputs, each with its element type from shape inference (no shape: a wrong
 * inferred shape must not break the run).
 */
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, type Model, type Node, type ValueInfo } from '../onnx/model';
import { inferShapes, type ShapeInferenceResult } from '../onnx/shape';
import { writeModelBytes, writeModelFile } from '../onnx/write';
import { runtimeType } from './tensors';
import { openSession, type RuntimeSession, type SessionOptions } from './session';
import { strAttr } from '../onnx/nodeAttributes';

export interface AddedOutputs {
  readonly model: Model;
  /** Names now fetchable: the requested tensors that are graph outputs (already or now). */
  readonly fetchable: readonly string[];
  /** Requested names that cannot be outputs, with the reason. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/**
 * A copy of `model` whose graph outputs also list `names` (node outputs of the main graph).
 * Graph inputs, initializers, tensors only inside subgraphs, and tensors of a type
 * onnxruntime cannot return to JavaScript are skipped with a reason.
 */
export async function addGraphOutputs(
  model: Model,
  names: readonly string[],
  options: { readonly signal?: AbortSignal; readonly shapes?: ShapeInferenceResult } = {},
): Promise<AddedOutputs> {
  const { graph } = model;
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs.filter((o) => o !== '')));
  const initializers = new Set(graph.initializers.map((t) => t.name));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const shapes = options.shapes ?? (await inferShapes(model, { signal: options.signal }));
  const added: ValueInfo[] = [];
  const fetchable: string[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (outputs.has(name)) {
      fetchable.push(name);
      continue;
    }
    if (initializers.has(name)) {
      skipped.push({ name, reason: 'an initializer (a constant), not computed' });
      continue;
    }
    if (!produced.has(name)) {
      skipped.push({ name, reason: graph.inputs.some((i) => i.name === name) ? 'a graph input' : 'not produced by a node of the main graph' });
      continue;
    }
    const info = shapes.tensors.get(name);
    if (info?.container !== undefined) {
      skipped.push({ name, reason: `a ${info.container}, not a tensor` });
      continue;
    }
    if (runtimeType(info?.dtype) === undefined || info?.dtype === undefined) {
      skipped.push({ name, reason: info?.dtype === undefined ? 'its element type is unknown' : 'its element type cannot be returned by onnxruntime' });
      continue;
    }
    added.push({ name, type: { kind: 'tensor', elemType: info.dtype } });
    fetchable.push(name);
  }
  return { model: { ...model, graph: { ...graph, outputs: [...graph.outputs, ...added] } }, fetchable, skipped };
}

/**
 * Opens `model` (read by our reader, possibly transformed) in onnxruntime. A model whose
 * weights are all inline is handed over as bytes; one with external data is written with its
 * weights to a private temporary folder that is removed once the session is open.
 */
export async function openModelSession(model: Model, options: SessionOptions = {}): Promise<RuntimeSession> {
  const external = [...model.graph.initializers].some((t) => t.data.location === 'external');
  if (!external) return openSession({ bytes: await writeModelBytes(model, { signal: options.signal }) }, options);
  const dir = await fsp.mkdtemp(join(tmpdir(), 'aios-session-'));
  try {
    const path = join(dir, 'model.onnx');
    await writeModelFile(model, path, { signal: options.signal, externalData: { location: 'model.onnx.data' } });
    return await openSession({ path }, { sourceName: options.sourceName ?? 'model', ...options });
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** The scalar outputs that give one tensor's range in a run. */
export interface RangeOutputNames {
  /** Absent when the tensor cannot be negative (a Relu's output...): its minimum is then not computed. */
  readonly min?: string;
  readonly max: string;
  /** Not finite when the tensor holds a NaN or an infinity (the min and max skip NaNs). */
  readonly check: string;
}

export interface AddedRanges {
  readonly model: Model;
  /** The tensors whose range the model now computes. */
  readonly ranges: ReadonlyMap<string, RangeOutputNames>;
  /** Requested names whose range the model cannot compute, with the reason (fetch their values instead). */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** Ops whose output is never negative when their data inputs are not (or ever). */
const NONNEGATIVE_OPS = new Set(['Relu', 'Sigmoid', 'Softmax', 'Abs']);
const NONNEGATIVE_IF_INPUTS = new Set(['MaxPool', 'Concat', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Resize']);

/** Tensors of `graph` that cannot hold negative values, by the ops that produce them. */
function nonNegativeTensors(graph: Model['graph']): Set<string> {
  const found = new Set<string>();
  for (const n of graph.nodes) {
    if (n.domain !== '' && n.domain !== 'ai.onnx') continue;
    let nonNegative = NONNEGATIVE_OPS.has(n.opType);
    if (NONNEGATIVE_IF_INPUTS.has(n.opType)) {
      // Concat: every input; the others move or select values of input 0 (Resize only by nearest or linear interpolation, which stay within the input's range).
      const data = n.opType === 'Concat' ? n.inputs.filter((x) => x !== '') : [n.inputs[0]!];
      nonNegative = data.length > 0 && data.every((x) => found.has(x));
      if (n.opType === 'Resize') nonNegative &&= ['nearest', 'linear'].includes(strAttr(n, 'mode', 'nearest')) && strAttr(n, 'coordinate_transformation_mode', 'half_pixel') !== 'tf_crop_and_resize';
    }
    if (nonNegative && n.outputs[0]) found.add(n.outputs[0]);
  }
  return found;
}

/**
 * A copy of `model` that also outputs the maximum, the minimum (unless the tensor cannot be
 * negative) and a finiteness check of each float32 tensor of `names` (graph inputs or node
 * outputs of the main graph), reduced inside onnxruntime: a calibration run then fetches a few
 * scalars per tensor instead of copying every activation into JavaScript, which costs more than
 * the model itself on large images.
 *
 * Tensors of rank 3 or more are reduced per channel first, by GlobalMaxPool and
 * GlobalAveragePool: onnxruntime runs those on its blocked (NCHWc) convolution layout, where a
 * ReduceMax would first copy the tensor back to plain NCHW; that copy cost more than the
 * reductions themselves (ISNet, U-Net). The average of a channel is NaN or infinite exactly
 * when the channel holds a NaN or an infinity (or overflows float32, which no activation does).
 */
export async function addRangeOutputs(
  model: Model,
  names: readonly string[],
  options: { readonly signal?: AbortSignal; readonly shapes?: ShapeInferenceResult } = {},
): Promise<AddedRanges> {
  const { graph } = model;
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs.filter((o) => o !== '')));
  const inputs = new Set(graph.inputs.map((i) => i.name));
  const initializers = new Set(graph.initializers.map((t) => t.name));
  const taken = new Set([...produced, ...inputs, ...initializers, ...graph.nodes.map((n) => n.name)]);
  const fresh = (base: string) => {
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
  const shapes = options.shapes ?? (await inferShapes(model, { signal: options.signal }));
  const nonNegative = nonNegativeTensors(graph);
  const ranges = new Map<string, RangeOutputNames>();
  const skipped: Array<{ name: string; reason: string }> = [];
  const nodes: Node[] = [];
  const outputs: ValueInfo[] = [];
  const keepdims = { name: 'keepdims', value: { type: 'int', value: 0n } } as const;
  /** op(x) and its name; with `reduce`, then reduced to a scalar over every axis. */
  const add = (tensor: string, op: string, x: string, reduce?: string): string => {
    const out = fresh(`${tensor}/aios_${op}`);
    nodes.push({ name: fresh(`${tensor}/aios_${op}_node`), opType: op, domain: '', inputs: [x], outputs: [out], attributes: reduce === undefined && op.startsWith('Reduce') ? [keepdims] : [] });
    if (reduce === undefined) return out;
    return add(tensor, reduce, out);
  };
  for (const name of new Set(names)) {
    if (initializers.has(name)) {
      skipped.push({ name, reason: 'an initializer (a constant), not computed' });
      continue;
    }
    if (!produced.has(name) && !inputs.has(name)) {
      skipped.push({ name, reason: 'not produced by a node of the main graph' });
      continue;
    }
    const info = shapes.tensors.get(name);
    if (info?.container !== undefined || info?.dtype !== DataType.FLOAT) {
      skipped.push({ name, reason: info?.dtype === undefined ? 'its element type is unknown' : 'not a float32 tensor' });
      continue;
    }
    // No axes on the reductions: every axis, in every opset (axes moved from attribute to input in opset 13/18).
    const pooled = (info.shape?.length ?? 0) >= 3;
    const range: RangeOutputNames = {
      max: pooled ? add(name, 'GlobalMaxPool', name, 'ReduceMax') : add(name, 'ReduceMax', name),
      check: pooled ? add(name, 'GlobalAveragePool', name, 'ReduceSum') : add(name, 'ReduceSum', name),
      ...(nonNegative.has(name) ? {} : { min: add(name, 'ReduceMin', name) }),
    };
    for (const out of [range.max, range.check, ...(range.min !== undefined ? [range.min] : [])]) outputs.push({ name: out, type: { kind: 'tensor', elemType: DataType.FLOAT, shape: [] } });
    ranges.set(name, range);
  }
  return { model: { ...model, graph: { ...graph, nodes: [...graph.nodes, ...nodes], outputs: [...graph.outputs, ...outputs] } }, ranges, skipped };
}
