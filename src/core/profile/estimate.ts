import type { EngineKind, Precision } from '../compute/words';
import type { ModelCost, NodeCostEntry } from '../onnx/cost';
import { nodeLabel } from '../onnx/graph/subgraphs';
import type { Model } from '../onnx/model';
import { numel } from '../onnx/shape/dims';
import { byteSize } from '../onnx/shape/dtypes';
import type { ShapeInferenceResult } from '../onnx/shape/types';
import type { SocTarget } from '../soc/schema';
import { totalMemoryBytes } from '../soc/catalog';
import { engineFor, placeModel } from './assign';
import { defaultDramEnergyPerByteJ, linkCost, sramOf, type EngineModel } from './engineModel';
import { fuseNodes, readerCounts } from './fusion';
import { peakActivationBytes } from './lifetimes';
import { freeOps, denseDims, opClassOf } from './opClass';
import { byteScales } from './precision';
import type { EngineUse, LayerBound, ProfileLayer, ProfileWarning, TargetProfile } from './result';

/** A model opened and analysed once, profiled on any number of targets. */
export interface AnalysedModel {
  readonly model: Model;
  readonly shapes: ShapeInferenceResult;
  readonly cost: ModelCost;
}

export interface EstimateOptions {
  readonly precision: Precision;
  readonly engine?: EngineKind;
  readonly signal?: AbortSignal;
}

/** The estimate of one target, before budgets: the result row and the time of every node. */
export interface Estimate {
  readonly profile: Omit<TargetProfile, 'fits' | 'budgets'>;
  /** Seconds per entry of `cost.nodes` (a fused group's time is on its first node). */
  readonly nodeSeconds: Float64Array;
  /** Engine id per entry of `cost.nodes`. */
  readonly nodeEngines: readonly string[];
  /** Dynamic energy of one inference (J), without static power. */
  readonly dynamicEnergyJ: number;
}

const qdq = new Set(['QuantizeLinear', 'DequantizeLinear']);

/** `graphPath/label` for subgraph nodes, the label for the main graph's. */
export function layerName(entry: NodeCostEntry): string {
  const label = nodeLabel(entry.node, entry.index);
  return entry.graphPath ? `${entry.graphPath}/${label}` : label;
}

/**
 * Roofline estimate of one model on one SoC target. Per kernel (a node, or a fused group):
 * time = max(FLOPs / (peak x efficiency(op class) x tile fill), DRAM bytes / bandwidth
 * + SRAM bytes / SRAM bandwidth) + per-kernel overhead + transfers of inputs produced on
 * another engine. Weights stay in SRAM when all of them fit in half of it; a kernel's
 * activations stay on chip when its working set fits. Ops of unknown cost are charged one
 * op per element (a floor) plus the overhead, and reported.
 */
export function estimateTarget(analysed: AnalysedModel, target: SocTarget, options: EstimateOptions): Estimate {
  const { model, shapes, cost } = analysed;
  const placement = placeModel(target, options.precision, options.engine);
  const warnings: ProfileWarning[] = [...placement.warnings];
  const entries = cost.nodes;
  const engines = entries.map((e) => engineFor(placement, e.node.opType));
  const scales = new Map<string, { weight: number; activation: number }>();
  const scaleOf = (engine: EngineModel) => {
    let s = scales.get(engine.id);
    if (!s) scales.set(engine.id, (s = byteScales(model, cost, engine.precision)));
    return s;
  };
  const primaryScale = scaleOf(placement.primary);
  const sram = sramOf(target);
  const weightBytes = cost.totals.weightBytes * primaryScale.weight;
  const weightsResident = sram.bytes > 0 && weightBytes <= sram.bytes / 2;
  const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
  const readers = readerCounts(entries);
  const groups = fuseNodes(
    entries.map((e, i) => ({ node: e.node, graphPath: e.graphPath, engine: (engines[i] as EngineModel).id, fusions: (engines[i] as EngineModel).fusions })),
    readers,
    graphOutputs,
  );

  const weightNames = new Set<string>(model.graph.initializers.map((t) => t.name));
  for (const e of entries) if (e.node.opType === 'Constant') for (const o of e.node.outputs) weightNames.add(o);
  const producerEngine = new Map<string, EngineModel>();
  const nodeSeconds = new Float64Array(entries.length);
  const busy = new Map<string, number>();
  const layers: ProfileLayer[] = [];
  const unknown = new Map<string, { count: number; first: string }>();
  let dynamicEnergyJ = 0;
  let totalS = 0;
  const tensorBytes = (name: string) => {
    const info = shapes.tensors.get(name);
    return byteSize(info?.dtype, numel(info?.shape) ?? 0) ?? 0;
  };

  for (const group of groups) {
    if (options.signal?.aborted) throw options.signal.reason;
    const head = entries[group[0] as number] as NodeCostEntry;
    const engine = engines[group[0] as number] as EngineModel;
    const scale = scaleOf(engine);
    let computeS = 0;
    let flops = 0;
    let weights = 0;
    let unknownCost = false;
    let free = true;
    const internal = new Set<string>();
    let activationsIn = 0;
    let transferS = 0;
    const fromEngines = new Set<string>();
    for (const [k, i] of group.entries()) {
      const entry = entries[i] as NodeCostEntry;
      const node = entry.node;
      const c = entry.cost;
      const folded = node.outputs.length > 0 && node.outputs.every((o) => !o || shapes.values.has(o));
      const isFree = folded || freeOps.has(node.opType) || (qdq.has(node.opType) && engine.precision !== 'fp32' && engine.kind !== 'cpu');
      if (!isFree) free = false;
      let f = c.flops;
      if (f === undefined) {
        const elements = Math.max(numel(shapes.tensors.get(node.outputs[0] ?? '')?.shape) ?? 0, numel(shapes.tensors.get(node.inputs[0] ?? '')?.shape) ?? 0);
        f = elements;
        unknownCost = true;
        const u = unknown.get(node.opType);
        if (u) u.count++;
        else unknown.set(node.opType, { count: 1, first: layerName(entry) });
      }
      flops += f;
      weights += (c.weightBytes ?? 0) * scale.weight;
      for (const name of new Set(node.inputs)) {
        if (!name || internal.has(name) || weightNames.has(name)) continue;
        const producer = producerEngine.get(name);
        if (!isFree && producer && producer.id !== engine.id) {
          const link = linkCost(target, producer, engine);
          transferS += (tensorBytes(name) * scaleOf(producer).activation) / link.bytesPerS;
          if (!fromEngines.has(producer.id)) {
            fromEngines.add(producer.id);
            transferS += link.latencyS;
          }
        }
      }
      activationsIn += k === 0 ? (c.activationBytesIn ?? 0) : Math.max(0, (c.activationBytesIn ?? 0) - (entries[group[k - 1] as number]?.cost.activationBytesOut ?? 0));
      // Epilogue ops of a fused kernel ride on the head's pass over the data.
      if (k === 0 && !isFree) {
        const cls = opClassOf(node, shapes);
        const dims = denseDims(node, shapes);
        const eff = engine.efficiency(cls) * (dims ? engine.shapeFactor(dims.k, dims.n) : 1);
        computeS += f / (engine.peakOpsPerS * eff);
      }
      for (const o of node.outputs) if (o) internal.add(o);
    }
    const last = entries[group[group.length - 1] as number] as NodeCostEntry;
    const activationsOut = last.cost.activationBytesOut ?? 0;
    const activationBytes = (activationsIn + activationsOut) * scale.activation;
    const onChip = sram.bytes > 0 && activationBytes + (weightsResident ? 0 : weights) <= sram.bytes;
    const dramBytes = free ? 0 : (weightsResident ? 0 : weights) + (onChip ? 0 : activationBytes);
    const sramBytes = free ? 0 : (weightsResident ? weights : 0) + (onChip ? activationBytes : 0);
    const memoryS = dramBytes / engine.dramBytesPerS + (sram.bytesPerS > 0 ? sramBytes / sram.bytesPerS : 0);
    const overheadS = free ? 0 : engine.overheadS;
    const seconds = Math.max(computeS, memoryS) + overheadS + transferS;
    const bound: LayerBound = overheadS >= computeS && overheadS >= memoryS ? 'overhead' : computeS >= memoryS ? 'compute' : 'memory';
    nodeSeconds[group[0] as number] = seconds;
    totalS += seconds;
    busy.set(engine.id, (busy.get(engine.id) ?? 0) + seconds);
    dynamicEnergyJ += (free ? 0 : flops * engine.energyPerOpJ) + dramBytes * (target.power.dramEnergyPerByte?.value.value ?? defaultDramEnergyPerByteJ);
    // A free node (shape arithmetic, a view) leaves its data where its input was.
    const passThrough = free ? producerEngine.get(head.node.inputs.find((n) => n && !weightNames.has(n)) ?? '') : undefined;
    for (const i of group) for (const o of (entries[i] as NodeCostEntry).node.outputs) if (o) producerEngine.set(o, free ? (passThrough ?? engine) : engine);
    const layer: ProfileLayer = { node: layerName(head), op: head.node.opType, engine: engine.id, ms: seconds * 1e3, flops, bytes: dramBytes, bound };
    if (group.length > 1) layer.fusedWith = group.slice(1).map((i) => layerName(entries[i] as NodeCostEntry));
    if (transferS > 0) layer.transferMs = transferS * 1e3;
    if (engine !== placement.primary && !free) layer.fallback = true;
    if (unknownCost) layer.unknownCost = true;
    layers.push(layer);
  }

  for (const [op, u] of unknown) {
    warnings.push({
      code: 'unknown-cost',
      node: u.first,
      message: `${u.count} ${op} node${u.count === 1 ? '' : 's'} of unknown cost (no cost rule or unknown shapes): estimated at a floor of one op per element plus the per-kernel overhead; the latency is a lower bound`,
    });
  }
  const fallbacks = layers.filter((l) => l.fallback);
  if (fallbacks.length > 0 && placement.fallback !== placement.primary) {
    const ops = [...new Set(fallbacks.map((l) => l.op))].slice(0, 6).join(', ');
    warnings.push({ code: 'fallback', message: `${fallbacks.length} kernels (${ops}) are not supported by ${placement.primary.id} and run on ${placement.fallback.id}, with transfers between engines` });
  }

  // Peak memory: weights plus the live activations of the main graph.
  const main = entries.filter((e) => e.graphPath === '');
  const act = peakActivationBytes(
    main.map((e) => e.node),
    (name) => tensorBytes(name) * primaryScale.activation,
    model.graph.inputs.map((v) => v.name),
    graphOutputs,
    weightNames,
  );

  const latencyS = totalS;
  const staticW = target.power.static.value.value;
  // Energy and power attributable to the model: the SoC's static power is shared by everything on it.
  const energyJ = dynamicEnergyJ;
  const powerW = latencyS > 0 ? energyJ / latencyS : 0;
  const latencyFps = latencyS > 0 ? 1 / latencyS : Number.MAX_VALUE;
  const sustainedW = target.power.sustained.value.value;
  const thermalFps = dynamicEnergyJ > 0 ? Math.max(0, sustainedW - staticW) / dynamicEnergyJ : Number.MAX_VALUE;
  if (sustainedW <= staticW) warnings.push({ code: 'thermal', message: `${target.id}: sustained power ${sustainedW} W is not above static power ${staticW} W; the target file's power figures need a look` });
  const engineUse: EngineUse[] = placement.engines
    .filter((e) => busy.has(e.id))
    .map((e) => ({
      engine: e.id,
      kind: e.kind,
      busyMs: (busy.get(e.id) ?? 0) * 1e3,
      utilisation: latencyS > 0 ? (busy.get(e.id) ?? 0) / latencyS : 0,
      peakOpsPerS: e.peakOpsPerS,
      bandwidthBytesPerS: e.dramBytesPerS,
    }));
  const peakMemoryBytes = weightBytes + act.peakBytes;
  if (peakMemoryBytes > totalMemoryBytes(target)) warnings.push({ code: 'memory', message: `the model needs ${Math.round(peakMemoryBytes / 2 ** 20)} MiB, more than the ${Math.round(totalMemoryBytes(target) / 2 ** 20)} MiB of ${target.id}` });
  return {
    profile: {
      target: target.id,
      targetName: target.name,
      precision: placement.primary.precision,
      ...(options.engine ? { requestedEngine: options.engine } : {}),
      latencyMs: latencyS * 1e3,
      peakMemoryBytes,
      weightBytes,
      peakActivationBytes: act.peakBytes,
      energyMj: energyJ * 1e3,
      powerW,
      sustainedFps: Math.min(latencyFps, thermalFps),
      thermalLimited: thermalFps < latencyFps,
      engines: engineUse,
      layers,
      warnings,
    },
    nodeSeconds,
    nodeEngines: engines.map((e) => e.id),
    dynamicEnergyJ,
  };
}
