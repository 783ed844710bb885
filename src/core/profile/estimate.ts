import type { EngineKind, OpClass, Precision } from '../compute/words';
import type { ModelCost, NodeCostEntry } from '../onnx/cost';
import { nodeLabel } from '../onnx/graph/subgraphs';
import type { Model } from '../onnx/model';
import { numel } from '../onnx/shape/dims';
import { byteSize } from '../onnx/shape/dtypes';
import type { ShapeInferenceResult } from '../onnx/shape/types';
import type { SocTarget } from '../soc/schema';
import { totalMemoryBytes } from '../soc/catalog';
import { engineFor, placeModel, type Placement } from './assign';
import { defaultDramEnergyPerByteJ, linkCost, sramOf, type EngineModel } from './engineModel';
import { chainLinks, groupKernels, readerCounts } from './fusion';
import { peakActivationBytes } from './lifetimes';
import { freeOps, denseDims, opClassOf } from './opClass';
import { byteScales } from './precision';
import type { HostKernelModel } from './calibrate/hostKernelModel';
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
  /** host-cpu's measured kernel speeds (its calibration): they replace the roofline for the kernels they cover. */
  readonly hostKernels?: HostKernelModel;
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
/** What does not depend on the target, computed once per analysed model. */
interface PreparedNode {
  readonly name: string;
  readonly op: string;
  readonly cls: OpClass;
  readonly dims: { k: number; n: number } | undefined;
  /** FLOPs, or the one-op-per-element floor when `unknown`. */
  readonly flops: number;
  readonly unknown: boolean;
  /** Shape arithmetic folded at compile time, or a view: costs nothing anywhere. */
  readonly free: boolean;
  readonly qdq: boolean;
  readonly weightBytes: number;
  readonly activationBytesIn: number;
  readonly activationBytesOut: number;
  /** Activation inputs (no weights), each once, as indices into Prepared.tensorBytes. */
  readonly inputs: Int32Array;
  readonly outputs: Int32Array;
}

interface Prepared {
  readonly nodes: readonly PreparedNode[];
  readonly ops: readonly string[];
  /** chainLinks of the nodes: which could fuse with the node before them on a target whose rules allow it. */
  readonly links: Uint8Array;
  /** Bytes as stored per tensor index (the activation tensors the nodes read and write). */
  readonly tensorBytes: Float64Array;
  /** Peak live activations of the main graph, bytes as stored. */
  readonly peakActivationBytes: number;
  /** Kernels per placement (targets placing and fusing alike share them), with the names each fuses in. */
  readonly kernels: Map<string, Kernels>;
}

interface Kernels {
  readonly groups: readonly number[][];
  readonly fusedWith: ReadonlyArray<readonly string[] | undefined>;
}

const prepared = new WeakMap<AnalysedModel, Prepared>();

function prepare(analysed: AnalysedModel): Prepared {
  const cached = prepared.get(analysed);
  if (cached) return cached;
  const { model, shapes, cost } = analysed;
  const entries = cost.nodes;
  const weightNames = new Set<string>(model.graph.initializers.map((t) => t.name));
  for (const e of entries) if (e.node.opType === 'Constant') for (const o of e.node.outputs) weightNames.add(o);
  const tensorIds = new Map<string, number>();
  const bytes: number[] = [];
  const idOf = (name: string) => {
    let id = tensorIds.get(name);
    if (id === undefined) {
      const info = shapes.tensors.get(name);
      tensorIds.set(name, (id = bytes.length));
      bytes.push(byteSize(info?.dtype, numel(info?.shape) ?? 0) ?? 0);
    }
    return id;
  };
  const bytesOf = (name: string) => bytes[idOf(name)] as number;
  const nodes = entries.map((entry): PreparedNode => {
    const { node, cost: c } = entry;
    const folded = node.outputs.length > 0 && node.outputs.every((o) => !o || shapes.values.has(o));
    const unknown = c.flops === undefined;
    const flops = c.flops ?? Math.max(numel(shapes.tensors.get(node.outputs[0] ?? '')?.shape) ?? 0, numel(shapes.tensors.get(node.inputs[0] ?? '')?.shape) ?? 0);
    const inputs = Int32Array.from([...new Set(node.inputs)].filter((n) => n !== '' && !weightNames.has(n)), idOf);
    const outputs = Int32Array.from(node.outputs.filter((o) => o !== ''), idOf);
    return {
      name: layerName(entry),
      op: node.opType,
      cls: opClassOf(node, shapes),
      dims: denseDims(node, shapes),
      flops,
      unknown,
      free: folded || freeOps.has(node.opType),
      qdq: qdq.has(node.opType),
      weightBytes: c.weightBytes ?? 0,
      activationBytesIn: c.activationBytesIn ?? 0,
      activationBytesOut: c.activationBytesOut ?? 0,
      inputs,
      outputs,
    };
  });
  const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
  const main = entries.filter((e) => e.graphPath === '');
  const peak = peakActivationBytes(
    main.map((e) => e.node),
    bytesOf,
    model.graph.inputs.map((v) => v.name),
    graphOutputs,
    weightNames,
  );
  const links = chainLinks(entries, readerCounts(entries), graphOutputs);
  const result: Prepared = { nodes, ops: nodes.map((n) => n.op), links, tensorBytes: Float64Array.from(bytes), peakActivationBytes: peak.peakBytes, kernels: new Map() };
  prepared.set(analysed, result);
  return result;
}

/**
 * The kernels of a placement. Which nodes fuse depends only on which run on the primary engine
 * (its op list) and on the two engines' fusion rules, so targets alike in those share the result.
 */
function kernelsOf(prep: Prepared, placement: Placement, engines: readonly EngineModel[]): Kernels {
  const { primary, fallback } = placement;
  const key = [primary.ops ? [...primary.ops].sort().join(',') : '*', primary === fallback, JSON.stringify(primary.fusions), JSON.stringify(fallback.fusions)].join('\n');
  let kernels = prep.kernels.get(key);
  if (!kernels) {
    const groups = groupKernels(prep.ops, engines.map((e) => e.id), (i) => (engines[i] as EngineModel).fusions, prep.links);
    const fusedWith = groups.map((group) => (group.length > 1 ? Object.freeze(group.slice(1).map((i) => (prep.nodes[i] as PreparedNode).name)) : undefined));
    prep.kernels.set(key, (kernels = { groups, fusedWith }));
  }
  return kernels;
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
  const { model, cost } = analysed;
  const prep = prepare(analysed);
  const placement = placeModel(target, options.precision, options.engine);
  const warnings: ProfileWarning[] = [...placement.warnings];
  const entries = cost.nodes;
  const nodes = prep.nodes;
  const engines = nodes.map((n) => engineFor(placement, n.op));
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
  const { groups, fusedWith } = kernelsOf(prep, placement, engines);
  const dramEnergyPerByte = target.power.dramEnergyPerByte?.value.value ?? defaultDramEnergyPerByteJ;
  // The engine that produced each tensor (by index), and link costs per pair of engines.
  const producerEngine: Array<EngineModel | undefined> = new Array<EngineModel | undefined>(prep.tensorBytes.length);
  const links = new Map<string, { bytesPerS: number; latencyS: number }>();
  const linkBetween = (a: EngineModel, b: EngineModel) => {
    const key = `${a.id}\n${b.id}`;
    let l = links.get(key);
    if (!l) links.set(key, (l = linkCost(target, a, b)));
    return l;
  };
  const nodeSeconds = new Float64Array(entries.length);
  const measured = options.hostKernels?.kernelTimes(analysed);
  const busy = new Map<string, number>();
  const layers: ProfileLayer[] = [];
  const unknown = new Map<string, { count: number; first: string }>();
  let dynamicEnergyJ = 0;
  let totalS = 0;

  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as number[];
    if (options.signal?.aborted) throw options.signal.reason;
    const headIndex = group[0] as number;
    const head = nodes[headIndex] as PreparedNode;
    const engine = engines[headIndex] as EngineModel;
    const scale = scaleOf(engine);
    let computeS = 0;
    let flops = 0;
    let weights = 0;
    let unknownCost = false;
    let free = true;
    let activationsIn = 0;
    let transferS = 0;
    let fromEngines: string[] | undefined;
    let measuredBound: LayerBound | undefined;
    for (let k = 0; k < group.length; k++) {
      const i = group[k] as number;
      const n = nodes[i] as PreparedNode;
      const isFree = n.free || (n.qdq && engine.precision !== 'fp32' && engine.kind !== 'cpu');
      if (!isFree) free = false;
      if (n.unknown) {
        unknownCost = true;
        const u = unknown.get(n.op);
        if (u) u.count++;
        else unknown.set(n.op, { count: 1, first: n.name });
      }
      flops += n.flops;
      weights += n.weightBytes * scale.weight;
      if (!isFree) {
        for (const t of n.inputs) {
          const producer = producerEngine[t];
          if (!producer || producer.id === engine.id) continue;
          // Inside a fused group inputs come from the previous member, on this engine.
          const link = linkBetween(producer, engine);
          transferS += ((prep.tensorBytes[t] as number) * scaleOf(producer).activation) / link.bytesPerS;
          fromEngines ??= [];
          if (!fromEngines.includes(producer.id)) {
            fromEngines.push(producer.id);
            transferS += link.latencyS;
          }
        }
      }
      activationsIn += k === 0 ? n.activationBytesIn : Math.max(0, n.activationBytesIn - (nodes[group[k - 1] as number] as PreparedNode).activationBytesOut);
      // Epilogue ops of a fused kernel ride on the head's pass over the data.
      if (measured && !isFree) computeS += measured.reorderSeconds[i] as number;
      const measuredS = k === 0 && !isFree && measured ? (measured.seconds[i] as number) : Number.NaN;
      if (!Number.isNaN(measuredS)) {
        computeS += measuredS;
        measuredBound = measured?.memoryBound[i] ? 'memory' : 'compute';
      } else if (k === 0 && !isFree) {
        const eff = engine.efficiency(n.cls) * (n.dims ? engine.shapeFactor(n.dims.k, n.dims.n) : 1);
        computeS += n.flops / (engine.peakOpsPerS * eff);
      }
    }
    const last = nodes[group[group.length - 1] as number] as PreparedNode;
    const activationBytes = (activationsIn + last.activationBytesOut) * scale.activation;
    const onChip = sram.bytes > 0 && activationBytes + (weightsResident ? 0 : weights) <= sram.bytes;
    const dramBytes = free ? 0 : (weightsResident ? 0 : weights) + (onChip ? 0 : activationBytes);
    const sramBytes = free ? 0 : (weightsResident ? weights : 0) + (onChip ? activationBytes : 0);
    // A measured kernel time already holds the kernel's memory traffic.
    const memoryS = measuredBound ? 0 : dramBytes / engine.dramBytesPerS + (sram.bytesPerS > 0 ? sramBytes / sram.bytesPerS : 0);
    const overheadS = free ? 0 : engine.overheadS;
    const seconds = Math.max(computeS, memoryS) + overheadS + transferS;
    const bound: LayerBound = overheadS >= computeS && overheadS >= memoryS ? 'overhead' : (measuredBound ?? (computeS >= memoryS ? 'compute' : 'memory'));
    nodeSeconds[headIndex] = seconds;
    totalS += seconds;
    busy.set(engine.id, (busy.get(engine.id) ?? 0) + seconds);
    dynamicEnergyJ += (free ? 0 : flops * engine.energyPerOpJ) + dramBytes * dramEnergyPerByte;
    // A free node (shape arithmetic, a view) leaves its data where its input was.
    const passThrough = free && head.inputs.length > 0 ? producerEngine[head.inputs[0] as number] : undefined;
    for (const i of group) for (const o of (nodes[i] as PreparedNode).outputs) producerEngine[o] = passThrough ?? engine;
    const layer: ProfileLayer = { node: head.name, op: head.op, engine: engine.id, ms: seconds * 1e3, flops, bytes: dramBytes, bound };
    const fused = fusedWith[g];
    if (fused) layer.fusedWith = fused as string[];
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

  const act = { peakBytes: prep.peakActivationBytes * primaryScale.activation };

  // The runtime's fixed cost per inference (calling it, binding inputs and outputs), when the target states one.
  const latencyS = totalS + (target.invocationOverhead?.value.value ?? 0);
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
