import type { Overlay } from '../../src/protocol/graphPayload';
import type { GraphModel } from './graphModel';
import { mix } from '../shared/theme';

/** Per-item overlay values (groups hold the sum of their nodes) and the colour ramp over them. */
export class OverlayColors {
  readonly values: Float64Array;
  readonly has: Uint8Array;
  readonly min: number;
  readonly max: number;
  private readonly nodeMin: number;
  private readonly nodeMax: number;

  constructor(
    readonly overlay: Overlay,
    private readonly model: GraphModel,
    private readonly ramp: readonly [string, string, string],
  ) {
    const total = model.nodeCount + model.groupCount;
    this.values = new Float64Array(total);
    this.has = new Uint8Array(total);
    let min = Infinity;
    let max = -Infinity;
    overlay.nodes.forEach((node, k) => {
      const value = overlay.values[k]!;
      if (!Number.isFinite(value)) return;
      this.values[node] = value;
      this.has[node] = 1;
      min = Math.min(min, value);
      max = Math.max(max, value);
      for (let g = model.graph.nodes[node]!.group; g >= 0; g = model.graph.groups[g]!.parent) {
        this.values[model.nodeCount + g] = this.values[model.nodeCount + g]! + value;
        this.has[model.nodeCount + g] = 1;
      }
    });
    this.nodeMin = min;
    this.nodeMax = max;
    this.min = Number.isFinite(min) ? min : 0;
    this.max = Number.isFinite(max) ? max : 0;
  }

  /** Position 0..1 of a value on the ramp; groups are scaled against the largest sibling sum. */
  position(item: number): number | undefined {
    if (!this.has[item]) return undefined;
    const value = this.values[item]!;
    let lo = this.nodeMin;
    let hi = this.nodeMax;
    if (this.model.isGroup(item)) {
      lo = 0;
      hi = 0;
      const parent = this.model.parentOf(item);
      for (const sibling of this.model.children[Math.max(0, parent)]!) if (this.has[sibling]) hi = Math.max(hi, this.values[sibling]!);
    }
    return scaled(value, lo, hi, this.overlay.scale);
  }

  colorOf(item: number): string | undefined {
    const t = this.position(item);
    return t === undefined ? undefined : rampColor(this.ramp, t);
  }
}

export function scaled(value: number, lo: number, hi: number, scale: 'linear' | 'log'): number {
  if (!(hi > lo)) return hi > 0 ? 1 : 0;
  if (scale === 'log') {
    const f = (v: number) => Math.log10(1 + Math.max(0, v - lo));
    return Math.min(1, Math.max(0, f(value) / f(hi)));
  }
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

export function rampColor(ramp: readonly [string, string, string], t: number): string {
  return t < 0.5 ? mix(ramp[0], ramp[1], t * 2) : mix(ramp[1], ramp[2], (t - 0.5) * 2);
}
