import { createHash } from 'node:crypto';
import type { Tensor } from '../model';

/** A weight bigger than this is compared by samples, not hashed whole. */
export const FULL_HASH_MAX_BYTES = 256 * 2 ** 20;
/** At most this many bytes are hashed whole per diff (both models together); beyond it, samples. */
export const FULL_HASH_BUDGET_BYTES = 2 ** 30;
/** A sampled comparison hashes the length and this many evenly spaced blocks (first and last included). */
export const SAMPLE_BLOCKS = 256;
export const SAMPLE_BLOCK_BYTES = 64 * 2 ** 10;

export interface HashLimits {
  readonly fullHashMaxBytes?: number;
  readonly fullHashBudgetBytes?: number;
}

/** A weight compared by samples only: equal samples do not prove equal content. */
export interface SampledWeight {
  readonly tensor: string;
  readonly bytes: number;
}

/**
 * Content hashes of weights for one diff, bounded: SHA-256 of the whole payload while it is at
 * most `fullHashMaxBytes` and the diff's budget lasts; otherwise (external data, e.g. 20 GiB of
 * sparse weights) SHA-256 of its length and SAMPLE_BLOCKS blocks read at evenly spaced offsets,
 * so a diff never reads more than the budget plus 16 MiB per weight.
 */
export class ContentHasher {
  private readonly full = new Map<Tensor, string>();
  private readonly samples = new Map<Tensor, string>();
  private readonly sampledNames = new Map<string, number>();
  private budget: number;
  private readonly maxFull: number;

  constructor(limits: HashLimits = {}) {
    this.maxFull = limits.fullHashMaxBytes ?? FULL_HASH_MAX_BYTES;
    this.budget = limits.fullHashBudgetBytes ?? FULL_HASH_BUDGET_BYTES;
  }

  /** Weights whose comparison rested on samples (name in B, payload bytes). */
  get sampled(): SampledWeight[] {
    return [...this.sampledNames].map(([tensor, bytes]) => ({ tensor, bytes }));
  }

  /** Hashes of `a` and `b` made the same way (both whole or both sampled), and whether they were sampled. */
  async pair(a: Tensor, b: Tensor, signal: AbortSignal | undefined): Promise<{ a: string; b: string; sampled: boolean }> {
    const cached = [this.full.get(a), this.full.get(b)];
    if (cached[0] !== undefined && cached[1] !== undefined) return { a: cached[0], b: cached[1], sampled: false };
    const sizes = [knownLength(a), knownLength(b)];
    const uncachedBytes = (cached[0] === undefined ? sizes[0]! : 0) + (cached[1] === undefined ? sizes[1]! : 0);
    const sampleable = a.data.openRandomAccess !== undefined && b.data.openRandomAccess !== undefined;
    if (sampleable && (Math.max(sizes[0]!, sizes[1]!) > this.maxFull || uncachedBytes > this.budget)) {
      const [ha, hb] = [await this.sampledHash(a, signal), await this.sampledHash(b, signal)];
      this.sampledNames.set(b.name, Math.max(sizes[0]!, sizes[1]!));
      return { a: ha, b: hb, sampled: true };
    }
    return { a: await this.fullHash(a, signal), b: await this.fullHash(b, signal), sampled: false };
  }

  private async fullHash(t: Tensor, signal: AbortSignal | undefined): Promise<string> {
    const cached = this.full.get(t);
    if (cached) return cached;
    let h: string;
    try {
      const hash = createHash('sha256');
      let bytes = 0;
      // Stream big payloads when the source can, so a 1 GB weight is never held whole.
      if (t.data.chunks) {
        for await (const chunk of t.data.chunks(signal)) {
          hash.update(chunk);
          bytes += chunk.byteLength;
        }
      } else {
        const all = await t.data.read(signal);
        hash.update(all);
        bytes = all.byteLength;
      }
      this.budget -= bytes;
      h = hash.digest('hex');
    } catch (e) {
      if (signal?.aborted) throw e;
      h = `unreadable: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.full.set(t, h);
    return h;
  }

  private async sampledHash(t: Tensor, signal: AbortSignal | undefined): Promise<string> {
    const cached = this.samples.get(t);
    if (cached) return cached;
    let h: string;
    try {
      const payload = await t.data.openRandomAccess!();
      try {
        h = `sampled ${await sampleDigest(payload.byteLength, (position, length) => payload.readAt(position, length, signal))}`;
      } finally {
        await payload.close();
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      h = `unreadable: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.samples.set(t, h);
    return h;
  }
}

/** SHA-256 (hex) of the length and SAMPLE_BLOCKS blocks at evenly spaced offsets (the whole payload when it is small). */
export async function sampleDigest(length: number, readAt: (position: number, length: number) => Promise<Uint8Array>): Promise<string> {
  const hash = createHash('sha256').update(`${length}\n`);
  if (length <= SAMPLE_BLOCKS * SAMPLE_BLOCK_BYTES) {
    if (length > 0) hash.update(await readAt(0, length));
    return hash.digest('hex');
  }
  const last = length - SAMPLE_BLOCK_BYTES;
  for (let i = 0; i < SAMPLE_BLOCKS; i++) hash.update(await readAt(Math.floor((i * last) / (SAMPLE_BLOCKS - 1)), SAMPLE_BLOCK_BYTES));
  return hash.digest('hex');
}

/** The payload's size when the model says it (external length or raw_data), else what the dims and dtype need at most. */
function knownLength(t: Tensor): number {
  if (t.data.byteLength !== undefined) return t.data.byteLength;
  return t.dims.reduce((x, y) => x * y, 1) * 16;
}
