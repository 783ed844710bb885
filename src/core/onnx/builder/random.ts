/**
 * Seeded pseudo-random numbers for deterministic weights. Only integer and basic float
 * arithmetic (no Math.log/cos), so the same seed gives the same bits on every platform.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a uniform 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Approximately standard normal (Irwin-Hall sum of four uniforms, variance 1). */
  normal(): number {
    const sum = this.uniform() + this.uniform() + this.uniform() + this.uniform();
    return (sum - 2) * Math.sqrt(3);
  }

  normalArray(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    for (let k = 0; k < count; k++) out[k] = mean + std * this.normal();
    return out;
  }

  uniformArray(count: number, low: number, high: number): Float32Array {
    const out = new Float32Array(count);
    for (let k = 0; k < count; k++) out[k] = low + (high - low) * this.uniform();
    return out;
  }
}
