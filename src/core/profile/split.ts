import { numel } from '../onnx/shape/dims';
import { byteSize, isFloatType } from '../onnx/shape/dtypes';
import type { AnalysedModel, Estimate } from './estimate';
import { layerName } from './estimate';
import type { SplitCut, SplitProfile } from './result';

export interface Uplink {
  readonly bitsPerS: number;
  readonly rttS: number;
}

/**
 * Seconds per main-graph node, in execution order: a node holding subgraphs (If/Loop/Scan) is
 * charged what its subgraph nodes cost (they follow it in `cost.nodes`).
 */
function mainNodeSeconds(analysed: AnalysedModel, estimate: Estimate): number[] {
  const out: number[] = [];
  analysed.cost.nodes.forEach((e, i) => {
    const s = estimate.nodeSeconds[i] ?? 0;
    if (e.graphPath === '') out.push(s);
    else if (out.length > 0) out[out.length - 1] = (out[out.length - 1] ?? 0) + s;
  });
  return out;
}

/**
 * Vehicle-cloud split: for every cut in execution order (the first k nodes in the vehicle,
 * the rest in the cloud), vehicle time + the tensors crossing the cut sent over the uplink
 * (+ the round trip, which also brings the outputs back) + cloud time. k = 0 sends the inputs
 * (all in the cloud); k = n sends nothing (all in the vehicle). Float tensors are sent as
 * `transferPrecision` (int8: 1 byte, fp16: 2 bytes per element; `native`: as stored).
 */
export function splitCurve(
  analysed: AnalysedModel,
  vehicle: Estimate,
  cloud: Estimate,
  cloudTarget: string,
  uplink: Uplink,
  transferPrecision: 'int8' | 'fp16' | 'native',
): SplitProfile {
  const { model, shapes, cost } = analysed;
  const main = cost.nodes.filter((e) => e.graphPath === '');
  const n = main.length;
  const v = mainNodeSeconds(analysed, vehicle);
  const c = mainNodeSeconds(analysed, cloud);
  const weights = new Set(model.graph.initializers.map((t) => t.name));
  for (const e of main) if (e.node.opType === 'Constant') for (const o of e.node.outputs) weights.add(o);
  const producer = new Map<string, number>();
  for (const input of model.graph.inputs) if (!weights.has(input.name)) producer.set(input.name, -1);
  main.forEach((e, i) => {
    for (const o of e.node.outputs) if (o && !weights.has(o)) producer.set(o, i);
  });
  const lastReader = new Map<string, number>();
  main.forEach((e, i) => {
    for (const name of e.node.inputs) if (name && producer.has(name)) lastReader.set(name, i);
  });
  const bytesOf = (name: string) => {
    const info = shapes.tensors.get(name);
    const elements = numel(info?.shape) ?? 0;
    if (transferPrecision !== 'native' && isFloatType(info?.dtype)) return elements * (transferPrecision === 'int8' ? 1 : 2);
    return byteSize(info?.dtype, elements) ?? 0;
  };
  // crossing(k) = bytes of tensors written before the cut (index < k) and read at or after it.
  const delta = new Float64Array(n + 2);
  for (const [name, last] of lastReader) {
    const from = (producer.get(name) ?? -1) + 1;
    if (from > last) continue;
    const b = bytesOf(name);
    delta[from] = (delta[from] ?? 0) + b;
    delta[last + 1] = (delta[last + 1] ?? 0) - b;
  }
  const suffixCloud = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffixCloud[i] = (suffixCloud[i + 1] ?? 0) + (c[i] ?? 0);
  const cuts: SplitCut[] = [];
  let crossing = 0;
  let vehicleS = 0;
  let best = 0;
  for (let k = 0; k <= n; k++) {
    crossing += delta[k] ?? 0;
    if (k > 0) vehicleS += v[k - 1] ?? 0;
    const transferBytes = k === n ? 0 : Math.max(0, crossing);
    const transferS = k === n ? 0 : (transferBytes * 8) / uplink.bitsPerS + uplink.rttS;
    const cloudS = suffixCloud[k] ?? 0;
    const cut: SplitCut = { vehicleNodes: k, vehicleMs: vehicleS * 1e3, transferBytes, transferMs: transferS * 1e3, cloudMs: cloudS * 1e3, totalMs: (vehicleS + transferS + cloudS) * 1e3 };
    const lastEntry = k > 0 ? main[k - 1] : undefined;
    if (lastEntry) cut.after = layerName(lastEntry);
    cuts.push(cut);
    if (cut.totalMs < (cuts[best]?.totalMs ?? Infinity)) best = k;
  }
  return { cloudTarget, uplinkBitsPerS: uplink.bitsPerS, rttMs: uplink.rttS * 1e3, transferPrecision, cuts, best };
}
