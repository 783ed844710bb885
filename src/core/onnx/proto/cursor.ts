/**
 * Protobuf wire-format cursor over a byte source that is either a buffer in memory or a file
 * read through a small window. Skipping a length-delimited field only moves the position, so
 * tensor payloads are never read while a model is parsed.
 */

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

/** Synchronous positional reads; `readInto` fills `target` from `offset` and returns bytes read. */
export interface SyncByteSource {
  readonly size: number;
  readInto(target: Uint8Array, offset: number): number;
}

/** Thrown by the cursor; the parser turns it into an OnnxFormatError with the field path. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WINDOW_BYTES = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class Cursor {
  private window: Uint8Array;
  private windowStart: number;
  /** Absolute position in the source. */
  pos = 0;
  readonly size: number;
  private readonly source: SyncByteSource | undefined;
  /** Called before each refill from the source, e.g. to honour cancellation. */
  onRefill: (() => void) | undefined;
  private reusable: Uint8Array | undefined;
  private windowBytes = WINDOW_BYTES;

  private constructor(window: Uint8Array, size: number, source: SyncByteSource | undefined) {
    this.window = window;
    this.windowStart = 0;
    this.size = size;
    this.source = source;
  }

  static overBytes(bytes: Uint8Array): Cursor {
    // A plain Uint8Array view: Buffer#slice would alias instead of copying.
    return new Cursor(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.length, undefined);
  }

  /** `windowBytes` is only made small by tests, to exercise refills. */
  static overSource(source: SyncByteSource, windowBytes = WINDOW_BYTES): Cursor {
    const cursor = new Cursor(new Uint8Array(0), source.size, source);
    cursor.windowBytes = windowBytes;
    return cursor;
  }

  /** Makes bytes [pos, pos + n) available in the window and returns the index of pos in it. */
  private ensure(n: number): number {
    const index = this.pos - this.windowStart;
    if (index >= 0 && index + n <= this.window.length) return index;
    if (this.pos + n > this.size) {
      throw new WireError(`unexpected end of data: need ${n} bytes, ${Math.max(0, this.size - this.pos)} left`, this.pos);
    }
    const source = this.source;
    if (source === undefined) throw new WireError('read outside the buffer', this.pos);
    this.onRefill?.();
    const length = Math.min(Math.max(n, this.windowBytes), this.size - this.pos);
    let target: Uint8Array;
    if (length <= this.windowBytes) {
      this.reusable ??= new Uint8Array(this.windowBytes);
      target = this.reusable.subarray(0, length);
    } else target = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const got = source.readInto(target.subarray(filled), this.pos + filled);
      if (got <= 0) throw new WireError(`file ended early: expected ${this.size} bytes`, this.pos + filled);
      filled += got;
    }
    this.window = target;
    this.windowStart = this.pos;
    return 0;
  }

  /** The bytes [offset, offset + length) if the window still holds them (never reads). */
  bytesInWindow(offset: number, length: number): Uint8Array | undefined {
    const i = offset - this.windowStart;
    return i >= 0 && i + length <= this.window.length ? this.window.subarray(i, i + length) : undefined;
  }

  /** Reads a varint as a JS number; int64 values are interpreted as two's complement. */
  varint(): number {
    const start = this.pos;
    const available = Math.min(10, this.size - this.pos);
    if (available <= 0) throw new WireError('unexpected end of data in a varint', start);
    const i = this.ensure(available);
    const w = this.window;
    let b = w[i]!;
    if (b < 0x80) {
      this.pos += 1;
      return b;
    }
    let result = b & 0x7f;
    let shift = 7;
    for (let k = 1; k < 4; k++) {
      if (k >= available) throw new WireError('truncated varint', start);
      b = w[i + k]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos += k + 1;
        return result;
      }
      shift += 7;
    }
    return Number(BigInt.asIntN(64, this.varintSlow(start, available)));
  }

  /** Reads a varint as a signed 64-bit bigint (int64 fields). */
  int64(): bigint {
    const start = this.pos;
    const available = Math.min(10, this.size - this.pos);
    if (available <= 0) throw new WireError('unexpected end of data in a varint', start);
    const i = this.ensure(available);
    const b = this.window[i]!;
    if (b < 0x80) {
      this.pos += 1;
      return BigInt(b);
    }
    return BigInt.asIntN(64, this.varintSlow(start, available));
  }

  /** Reads a varint as an unsigned 64-bit bigint (uint64 fields). */
  uint64(): bigint {
    const start = this.pos;
    const available = Math.min(10, this.size - this.pos);
    if (available <= 0) throw new WireError('unexpected end of data in a varint', start);
    this.ensure(available);
    return BigInt.asUintN(64, this.varintSlow(start, available));
  }

  private varintSlow(start: number, available: number): bigint {
    const i = start - this.windowStart;
    const w = this.window;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < 10; k++) {
      if (k >= available) throw new WireError('truncated varint', start);
      const b = w[i + k]!;
      if (k < 4) lo |= (b & 0x7f) << (7 * k);
      else if (k === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * k - 32);
      if (b < 0x80) {
        this.pos = start + k + 1;
        return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
      }
    }
    throw new WireError('varint longer than 10 bytes', start);
  }

  fixed32Float(): number {
    const i = this.ensure(4);
    const w = this.window;
    const view = new DataView(w.buffer, w.byteOffset + i, 4);
    this.pos += 4;
    return view.getFloat32(0, true);
  }

  /** Reads `length` bytes as UTF-8 (invalid sequences become U+FFFD). */
  string(length: number): string {
    if (length === 0) return '';
    const i = this.ensure(length);
    this.pos += length;
    const w = this.window;
    // Names are short and mostly ASCII; TextDecoder's per-call cost dominates for them.
    if (length <= 64) {
      let ascii = true;
      for (let k = i; k < i + length; k++) {
        if (w[k]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, w.subarray(i, i + length) as unknown as number[]);
    }
    return utf8.decode(w.subarray(i, i + length));
  }

  /** Reads `length` bytes into a new array the caller owns. */
  bytes(length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const i = this.ensure(length);
    this.pos += length;
    return this.window.slice(i, i + length);
  }

  skip(length: number): void {
    if (this.pos + length > this.size) {
      throw new WireError(`unexpected end of data: need ${length} bytes, ${this.size - this.pos} left`, this.pos);
    }
    this.pos += length;
  }

  /** Skips one field's value of the given wire type; `end` bounds length-delimited values. */
  skipValue(wire: number, end: number): void {
    switch (wire) {
      case WireType.Varint: {
        const available = Math.min(10, end - this.pos);
        if (available <= 0) throw new WireError('unexpected end of message in a varint', this.pos);
        this.ensure(available);
        this.varintSlow(this.pos, available);
        return;
      }
      case WireType.Fixed64:
        this.checkRoom(8, end);
        this.pos += 8;
        return;
      case WireType.Fixed32:
        this.checkRoom(4, end);
        this.pos += 4;
        return;
      case WireType.LengthDelimited: {
        const length = this.length(end);
        this.pos += length;
        return;
      }
      default:
        throw new WireError(`unsupported wire type ${wire}`, this.pos);
    }
  }

  /** Reads a length prefix and checks it fits in what is left of the enclosing message. */
  length(end: number): number {
    const at = this.pos;
    const length = this.varint();
    if (length < 0 || length > end - this.pos) {
      throw new WireError(`length ${length} exceeds the ${Math.max(0, end - this.pos)} bytes left in the enclosing message`, at);
    }
    return length;
  }

  checkRoom(n: number, end: number): void {
    if (this.pos + n > end) throw new WireError(`value of ${n} bytes runs past the end of the enclosing message`, this.pos);
  }
}
