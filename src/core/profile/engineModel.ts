import type { EngineKind, OpClass, Precision } from '../compute/words';
import type { SocTarget } from '../soc/schema';

type Engine = SocTarget['engines'][number];

/**
 * Defaults for what a target file does not state (fractions of peak at favourable shapes,
 * fixed time per kernel, tile sizes). Estimates from the public roofline literature on
 * NPUs, GPUs, DSPs and CPUs; a target's own `efficiency` and `overhead` replace them.
 */
const defaultEfficiency: Readonly<Record<EngineKind, Readonly<Record<OpClass, number>>>> = {
  npu: { conv: 0.6, depthwise: 0.12, matmul: 0.45, elementwise: 0.1, pool: 0.1, normalization: 0.05, softmax: 0.03, reduction: 0.05, datamove: 0.1, other: 0.02 },
  gpu: { conv: 0.5, depthwise: 0.15, matmul: 0.55, elementwise: 0.4, pool: 0.3, normalization: 0.2, softmax: 0.15, reduction: 0.2, datamove: 0.3, other: 0.1 },
  dsp: { conv: 0.5, depthwise: 0.15, matmul: 0.4, elementwise: 0.2, pool: 0.2, normalization: 0.1, softmax: 0.05, reduction: 0.1, datamove: 0.15, other: 0.05 },
  cpu: { conv: 0.45, depthwise: 0.15, matmul: 0.55, elementwise: 0.15, pool: 0.15, normalization: 0.1, softmax: 0.05, reduction: 0.15, datamove: 0.2, other: 0.05 },
};
const defaultOverheadS: Readonly<Record<EngineKind, number>> = { npu: 4e-6, gpu: 6e-6, dsp: 5e-6, cpu: 2e-6 };
/** Reduction length and output width at which a dense kernel fills the engine's tiles. */
const tiles: Readonly<Record<EngineKind, { k: number; n: number }>> = { npu: { k: 64, n: 32 }, gpu: { k: 32, n: 32 }, dsp: { k: 32, n: 16 }, cpu: { k: 8, n: 8 } };
/** Synchronisation when a tensor crosses engines and the link states no latency. */
export const defaultSwitchLatencyS = 30e-6;
/** LPDDR access energy, order of magnitude, when the target states none. */
export const defaultDramEnergyPerByteJ = 25e-12;

/** Fallback order when an engine lacks the requested precision. */
const precisionFallbacks: Readonly<Record<Precision, readonly Precision[]>> = {
  'int4-weight': ['int4-weight', 'fp16', 'int8', 'fp32'],
  int8: ['int8', 'fp16', 'fp32'],
  fp16: ['fp16', 'fp32', 'int8'],
  fp32: ['fp32', 'fp16', 'int8'],
};

/** Bytes per element of weights and activations at a precision (int4-weight: fp16 activations). */
export function elementBytes(precision: Precision): { weight: number; activation: number } {
  switch (precision) {
    case 'fp32':
      return { weight: 4, activation: 4 };
    case 'fp16':
      return { weight: 2, activation: 2 };
    case 'int8':
      return { weight: 1, activation: 1 };
    case 'int4-weight':
      return { weight: 0.5, activation: 2 };
  }
}

/** One engine of a target at the precision it runs the model at, in SI units. */
export interface EngineModel {
  readonly id: string;
  readonly kind: EngineKind;
  readonly precision: Precision;
  readonly peakOpsPerS: number;
  readonly dramBytesPerS: number;
  readonly overheadS: number;
  readonly ops: ReadonlySet<string> | undefined;
  readonly fusions: ReadonlyArray<readonly string[]>;
  readonly energyPerOpJ: number;
  efficiency(cls: OpClass): number;
  /** Fraction of the tiles a dense kernel of reduction k and width n fills (0.05..1). */
  shapeFactor(k: number, n: number): number;
  runs(opType: string): boolean;
}

const bytesPerS = (bitsPerS: number) => bitsPerS / 8;

/** Bandwidth between an engine and DRAM: its link if stated, else the DRAM's own bandwidth. */
function dramBandwidth(target: SocTarget, engine: Engine): number {
  const dram = target.memories.filter((m) => m.kind === 'dram');
  const ids = new Set(dram.map((m) => m.id));
  const link = target.links.find((l) => (l.from === engine.id && ids.has(l.to)) || (l.to === engine.id && ids.has(l.from)));
  const bw = link?.bandwidth.value.value ?? Math.max(0, ...dram.map((m) => m.bandwidth.value.value));
  return bytesPerS(bw > 0 ? bw : 8e9);
}

/** The precision `engine` runs `wanted` at: itself when supported, else the first fallback it has. */
export function precisionOn(engine: Engine, wanted: Precision): Precision | undefined {
  return precisionFallbacks[wanted].find((p) => engine.precisions[p] !== undefined) ?? (Object.keys(engine.precisions) as Precision[])[0];
}

export function engineModel(target: SocTarget, engine: Engine, wanted: Precision): EngineModel | undefined {
  const precision = precisionOn(engine, wanted);
  if (precision === undefined) return undefined;
  const peak = engine.precisions[precision]?.peak.value.value ?? 0;
  const energies = target.power.energyPerOp;
  const energyPerOpJ = energies[precision]?.value.value ?? precisionFallbacks[precision].map((p) => energies[p]?.value.value).find((e) => e !== undefined) ?? 5e-12;
  const tile = tiles[engine.kind];
  const ops = engine.ops ? new Set(engine.ops) : undefined;
  return {
    id: engine.id,
    kind: engine.kind,
    precision,
    peakOpsPerS: peak,
    dramBytesPerS: dramBandwidth(target, engine),
    overheadS: engine.overhead?.value.value ?? defaultOverheadS[engine.kind],
    ops,
    fusions: engine.fusions,
    energyPerOpJ,
    efficiency: (cls) => engine.efficiency[cls]?.value ?? defaultEfficiency[engine.kind][cls],
    shapeFactor: (k, n) => Math.max(0.05, Math.min(1, k / tile.k) * Math.min(1, n / tile.n)),
    runs: (opType) => ops === undefined || ops.has(opType),
  };
}

/** Bytes/s and seconds of latency for a tensor moving from engine `a` to engine `b`. */
export function linkCost(target: SocTarget, a: EngineModel, b: EngineModel): { bytesPerS: number; latencyS: number } {
  const link = target.links.find((l) => (l.from === a.id && l.to === b.id) || (l.from === b.id && l.to === a.id));
  if (link) return { bytesPerS: bytesPerS(link.bandwidth.value.value), latencyS: link.latency?.value.value ?? defaultSwitchLatencyS };
  // Through DRAM: written by one, read by the other.
  return { bytesPerS: Math.min(a.dramBytesPerS, b.dramBytesPerS), latencyS: defaultSwitchLatencyS };
}

/** On-chip SRAM of the target, bytes and bytes/s (0 when none). */
export function sramOf(target: SocTarget): { bytes: number; bytesPerS: number } {
  const sram = target.memories.filter((m) => m.kind === 'sram');
  return { bytes: sram.reduce((s, m) => s + m.size.value.value, 0), bytesPerS: bytesPerS(Math.max(0, ...sram.map((m) => m.bandwidth.value.value))) };
}
