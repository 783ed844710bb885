/**
 * Static INT8 quantization in QDQ form: prepare the graph, plan the Q/DQ placement, calibrate
 * the activation ranges on the fp32 model, then write int8 weights, int32 biases and Q/DQ
 * pairs. The runtime that runs the fp32 model is given by the caller (`ActivationRunner`).
 */
import type { Graph, Model } from '../onnx/model';
import { checkOrder } from '../onnx/graph';
import { inferShapes } from '../onnx/shape';
import type { Dim } from '../onnx/model';
import { applyQdq } from './applyQdq';
import { planQuantization, type KeptFloat, type QuantOptions } from './plan';
import { prepareModel } from './prepare';
import { ActivationStatistics, type CalibrationMethod, type TensorRange } from './statistics';

/** Where calibration statistics go, one sample at a time (ActivationStatistics). */
export interface CalibrationSink {
  /** False when each sample's min and max are enough (minmax): the runner need not hand over values. */
  readonly needsValues: boolean;
  /** One sample's min and max of a tensor (NaN when it holds a NaN). */
  range(tensor: string, min: number, max: number): void;
  /** One sample's values of a tensor, with their range when the runner knows it. */
  update(tensor: string, values: Float32Array, range?: TensorRange): void;
}

/** Runs the calibration samples through an fp32 model and hands the named tensors' statistics to `sink`, sample by sample. */
export interface ActivationRunner {
  run(model: Model, tensors: readonly string[], sink: CalibrationSink, signal?: AbortSignal): Promise<void>;
}

export interface Int8Options extends QuantOptions {
  readonly method: CalibrationMethod;
  readonly percentile?: number;
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface Int8Result {
  readonly model: Model;
  readonly nodesQuantized: number;
  readonly keptFloat: readonly KeptFloat[];
  /** Tensors calibrated (pass-through outputs share their input's range). */
  readonly calibratedTensors: number;
  readonly notes: readonly string[];
}

/** Sorts the main graph's nodes into execution order (they usually are already). */
export function sortedGraph(graph: Graph): Graph {
  const { order, cycle } = checkOrder(graph);
  if (cycle !== undefined) throw new Error(`the graph has a cycle through ${cycle.slice(0, 4).join(', ')}; it cannot be quantized`);
  return order.every((n, i) => n === i) ? graph : { ...graph, nodes: order.map((i) => graph.nodes[i]!) };
}

/** The prepared, sorted model and its plan, before calibration. */
export async function planInt8(model: Model, options: Int8Options) {
  const prepared = await prepareModel(model, options.signal);
  const graph = sortedGraph(prepared.model.graph);
  const prepModel: Model = { ...prepared.model, graph };
  const shapes = await inferShapes(prepModel, { signal: options.signal, ...(options.inputShapes ? { inputShapes: options.inputShapes } : {}) });
  const plan = planQuantization(graph, shapes.tensors, options);
  const calibrate = plan.tensors.filter((t) => !plan.sharedWith.has(t));
  return { prepared: prepModel, notes: prepared.notes, plan, calibrate, shapes };
}

export async function quantizeInt8(model: Model, runner: ActivationRunner, options: Int8Options): Promise<Int8Result> {
  const opset = defaultOpset(model);
  if (opset < 10) throw new Error(`the model imports ONNX opset ${opset}; QuantizeLinear needs opset 10 or later: re-export the model with a newer opset`);
  const notes: string[] = [];
  if (opset < 13 && options.perChannel) {
    notes.push(`opset ${opset} has no per-axis DequantizeLinear (opset 13): weights quantized per tensor`);
    options = { ...options, perChannel: false };
  }
  const planned = await planInt8(model, options);
  const { prepared, plan, calibrate } = planned;
  notes.push(...planned.notes);
  options.log?.(`plan: ${plan.quantized.size} nodes int8, ${plan.fused.size} activations fused, ${calibrate.length} tensors to calibrate`);
  const statistics = new ActivationStatistics(options.method);
  await runner.run(prepared, calibrate, statistics, options.signal);
  const ranges = statistics.ranges(options.percentile);
  const graph = await applyQdq(prepared.graph, plan, ranges, { activations: options.activations, ...(options.signal ? { signal: options.signal } : {}) });
  return { model: { ...prepared, graph }, nodesQuantized: plan.quantized.size, keptFloat: plan.keptFloat, calibratedTensors: calibrate.length, notes };
}

/** The model's default-domain (ai.onnx) opset version. */
export function defaultOpset(model: Model): number {
  const entry = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry === undefined ? 1 : Number(entry.version);
}
