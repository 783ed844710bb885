/**
 * Copies of small tensor payloads (scalars, shape vectors) taken while the model is parsed.
 * Shape inference reads every such tensor; from the file that would be one open, stat and read
 * each, 100,000s of them in a large transformer export. Kept in shared chunks, not one buffer each.
 */
import type { PayloadSegment, PayloadSource } from './readTensorData';

/** Payloads up to this many bytes are kept in memory. */
export const SMALL_PAYLOAD_BYTES = 64;
const CHUNK_BYTES = 64 << 10;

export class SmallPayloads {
  private chunk = new Uint8Array(0);
  private used = 0;
  private source: PayloadSource | undefined;

  constructor(private readonly description: string) {}

  /**
   * Copies the segments' bytes (given by `bytesOf`, undefined when no longer at hand) and
   * returns the segments re-pointed at the copy, or undefined to leave them in the model.
   */
  keep(segments: readonly PayloadSegment[], bytesOf: (offset: number, length: number) => Uint8Array | undefined): { source: PayloadSource; segments: PayloadSegment[] } | undefined {
    let total = 0;
    for (const s of segments) total += s.length;
    if (total > SMALL_PAYLOAD_BYTES) return undefined;
    const pieces: Uint8Array[] = [];
    for (const s of segments) {
      const bytes = bytesOf(s.offset, s.length);
      if (bytes === undefined) return undefined;
      pieces.push(bytes);
    }
    if (this.source === undefined || this.used + total > this.chunk.length) this.newChunk();
    // map, not push: a list grown by push keeps room for 17 items.
    const kept = segments.map((s, k): PayloadSegment => {
      this.chunk.set(pieces[k]!, this.used);
      this.used += s.length;
      return { field: s.field, offset: this.used - s.length, length: s.length, packed: s.packed };
    });
    return { source: this.source!, segments: kept };
  }

  private newChunk(): void {
    const chunk = new Uint8Array(CHUNK_BYTES);
    this.chunk = chunk;
    this.used = 0;
    this.source = {
      description: this.description,
      // A copy: the caller owns what read() returns, as with a file.
      read: async (offset, length) => chunk.slice(offset, offset + length),
      async *chunks(offset, length) {
        yield chunk.slice(offset, offset + length);
      },
    };
  }
}
