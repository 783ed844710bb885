/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /**
   * How big to make something a case grows (keys, nodes, nesting, attribute length): up to
   * `typical` most of the time, and with chance `rare` between `typical` and `max`. The rare
   * ones are the scale cases that catch quadratic blow-ups; each costs seconds of parsing, so
   * making every case that big bought no coverage and made the full run take hours.
   */
  size(typical: number, max: number, rare = 0.02): number {
    return this.chance(rare) ? typical + this.int(max - typical + 1) : this.int(typical + 1);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed of case `index` of a family in a run with `seed`: cases are independent and reproducible one by one. */
export function caseSeed(runSeed: number, family: string, index: number): number {
  let h = (runSeed ^ 0x811c9dc5) >>> 0;
  for (const c of `${family}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}
