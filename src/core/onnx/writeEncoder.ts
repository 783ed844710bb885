/**
 * Protobuf encoder that builds a rope: small fields go into byte buffers, tensor payloads
 * stay as references to their lazy source and are only read when the rope is emitted.
 */
import type { TensorData } from './model';

export interface PayloadPart {
  readonly data: TensorData;
  readonly length: number;
  /** Bytes already read (payloads whose length was not known without reading). */
  readonly bytes?: Uint8Array;
}

export type Part = Uint8Array | PayloadPart;

const utf8 = new TextEncoder();
/** Nested messages up to this size are copied into their parent's buffer. */
const SMALL_MESSAGE = 1024;

export class Encoder {
  private buffer = new Uint8Array(128);
  private used = 0;
  private readonly flushed: Part[] = [];
  private flushedLength = 0;

  get length(): number {
    return this.flushedLength + this.used;
  }

  /** The encoded message as parts; the encoder must not be used afterwards. */
  parts(): Part[] {
    this.flush();
    return this.flushed;
  }

  private room(n: number): void {
    if (this.used + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.used + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.used));
    this.buffer = bigger;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.flushed.push(this.buffer.subarray(0, this.used));
    this.flushedLength += this.used;
    this.buffer = new Uint8Array(128);
    this.used = 0;
  }

  varint(value: number): void {
    if (value < 0 || value > 0xffffffff) return this.varint64(BigInt(value));
    this.room(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buffer[this.used++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[this.used++] = v;
  }

  /** int64 / uint64 as a varint (negative values take 10 bytes, two's complement). */
  varint64(value: bigint): void {
    this.room(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.buffer[this.used++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.used++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  fixed32Float(value: number): void {
    this.room(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset + this.used, 4).setFloat32(0, value, true);
    this.used += 4;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  // ---- fields -----------------------------------------------------------------------------

  int64Field(field: number, value: bigint): void {
    this.tag(field, 0);
    this.varint64(value);
  }

  intField(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  floatField(field: number, value: number): void {
    this.tag(field, 5);
    this.fixed32Float(value);
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint(bytes.length);
    if (bytes.length > 4096) {
      this.flush();
      this.flushed.push(bytes);
      this.flushedLength += bytes.length;
    } else this.raw(bytes);
  }

  stringField(field: number, value: string): void {
    // Names are short and nearly always ASCII: copied in place, without a TextEncoder call each.
    if (value.length < 128 && this.asciiField(field, value)) return;
    this.bytesField(field, utf8.encode(value));
  }

  private asciiField(field: number, value: string): boolean {
    for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) >= 0x80) return false;
    this.tag(field, 2);
    this.varint(value.length);
    this.room(value.length);
    for (let k = 0; k < value.length; k++) this.buffer[this.used++] = value.charCodeAt(k);
    return true;
  }

  /** Embeds a nested message: small ones are copied (fewer parts to keep), others referenced. */
  messageField(field: number, message: Encoder): void {
    if (message.flushed.length === 0 && message.used <= SMALL_MESSAGE) {
      this.tag(field, 2);
      this.varint(message.used);
      this.raw(message.buffer.subarray(0, message.used));
      return;
    }
    const parts = message.parts();
    const length = message.flushedLength;
    this.tag(field, 2);
    this.varint(length);
    this.flush();
    for (const part of parts) this.flushed.push(part);
    this.flushedLength += length;
  }

  /** A length-delimited field whose content is a tensor payload, read when the rope is emitted. */
  payloadField(field: number, payload: PayloadPart): void {
    this.tag(field, 2);
    this.varint(payload.length);
    this.flush();
    this.flushed.push(payload);
    this.flushedLength += payload.length;
  }
}
