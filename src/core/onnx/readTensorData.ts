/**
 * Lazy tensor payloads: where the bytes of a TensorProto's data field lie in the model, and
 * how to turn them into the little-endian `raw_data` layout when someone asks for them.
 */
import { DataType, type TensorData } from './model';
import { OnnxFormatError } from './readErrors';
import { dtypeBits } from './shape/dtypes';

/** Which TensorProto field holds the data, by its wire encoding. */
export type PayloadField = 'raw' | 'float' | 'double' | 'int32' | 'int64' | 'uint64' | 'string';

/**
 * A byte range of the model holding (part of) a data field. `packed`: the range is the
 * content of one packed field (or raw_data). Not packed: a run of unpacked elements, the
 * first without its tag, the following ones each preceded by their tag.
 */
export interface PayloadSegment {
  readonly field: PayloadField;
  readonly offset: number;
  length: number;
  readonly packed: boolean;
}

/** Positional access to the bytes of the model the tensors were parsed from. */
export interface PayloadSource {
  /** For error messages: the model file, or a description of the buffer. */
  readonly description: string;
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  chunks(offset: number, length: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Width in bytes that one int32_data / int64_data / uint64_data element takes in raw_data. */
function varintElementWidth(field: PayloadField, dataType: DataType): number {
  const bits = dtypeBits(dataType);
  // 4-bit types are packed two per int32_data element, i.e. one byte each.
  if (bits === 4) return 1;
  if (bits !== undefined && bits <= 64) return bits / 8;
  return field === 'int32' ? 4 : 8;
}

class SegmentReader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}

  varint(): bigint {
    let result = 0n;
    for (let k = 0; k < 10; k++) {
      const b = this.bytes[this.pos++];
      if (b === undefined) throw new OnnxFormatError(`truncated varint in ${this.what}`, undefined, '');
      result |= BigInt(b & 0x7f) << BigInt(7 * k);
      if (b < 0x80) return result;
    }
    throw new OnnxFormatError(`varint longer than 10 bytes in ${this.what}`, undefined, '');
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new OnnxFormatError(`truncated element in ${this.what}`, undefined, '');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Decodes fetched segments (all of one field) into raw_data layout. */
export function decodePayload(field: PayloadField, dataType: DataType, parts: readonly { bytes: Uint8Array; packed: boolean }[]): Uint8Array {
  if (field === 'raw' && parts.length === 1) return parts[0]!.bytes;
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    const reader = new SegmentReader(part.bytes, `${field}_data`);
    while (reader.pos < part.bytes.length) {
      pieces.push(decodeRunOfValues(field, dataType, reader, part.packed));
      if (!part.packed && reader.pos < part.bytes.length) reader.varint(); // the next element's tag
    }
  }
  return concat(pieces);
}

/** Decodes one packed field's content, or a single unpacked element. */
function decodeRunOfValues(field: PayloadField, dataType: DataType, reader: SegmentReader, packed: boolean): Uint8Array {
  switch (field) {
    case 'raw':
      return reader.take(reader.bytes.length - reader.pos);
    case 'float':
      return reader.take(packed ? reader.bytes.length - reader.pos : 4).slice();
    case 'double':
      return reader.take(packed ? reader.bytes.length - reader.pos : 8).slice();
    case 'string': {
      const length = Number(reader.varint());
      const header = new Uint8Array(4);
      new DataView(header.buffer).setUint32(0, length, true);
      return concat([header, reader.take(length)]);
    }
    case 'int32':
    case 'int64':
    case 'uint64': {
      const width = varintElementWidth(field, dataType);
      const values: bigint[] = [];
      do values.push(reader.varint());
      while (packed && reader.pos < reader.bytes.length);
      const out = new Uint8Array(values.length * width);
      const view = new DataView(out.buffer);
      values.forEach((v, k) => writeLittleEndian(view, k * width, width, v));
      return out;
    }
  }
}

function writeLittleEndian(view: DataView, at: number, width: number, value: bigint): void {
  if (width === 8) view.setBigUint64(at, BigInt.asUintN(64, value), true);
  else if (width === 4) view.setUint32(at, Number(BigInt.asUintN(32, value)), true);
  else if (width === 2) view.setUint16(at, Number(BigInt.asUintN(16, value)), true);
  else view.setUint8(at, Number(BigInt.asUintN(8, value)));
}

export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  let total = 0;
  for (const p of pieces) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Tensor data stored inside the model (raw_data or one of the typed fields). */
export class InlineTensorData implements TensorData {
  readonly location = 'inline' as const;
  readonly byteLength: number | undefined;

  constructor(
    private readonly source: PayloadSource,
    private readonly dataType: DataType,
    private readonly field: PayloadField | undefined,
    private readonly segments: readonly PayloadSegment[],
  ) {
    this.byteLength = field === undefined ? 0 : knownByteLength(field, segments);
  }

  async read(signal?: AbortSignal): Promise<Uint8Array> {
    const field = this.field;
    if (field === undefined) return new Uint8Array(0);
    const parts: { bytes: Uint8Array; packed: boolean }[] = [];
    for (const segment of this.segments) {
      signal?.throwIfAborted();
      parts.push({ bytes: await this.source.read(segment.offset, segment.length, signal), packed: segment.packed });
    }
    return decodePayload(field, this.dataType, parts);
  }

  async *chunks(signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const only = this.segments[0];
    if (this.segments.length === 1 && only !== undefined && only.packed && (this.field === 'raw' || this.field === 'float' || this.field === 'double')) {
      yield* this.source.chunks(only.offset, only.length, signal);
      return;
    }
    yield await this.read(signal);
  }
}

function knownByteLength(field: PayloadField, segments: readonly PayloadSegment[]): number | undefined {
  if (field !== 'raw' && field !== 'float' && field !== 'double') return undefined;
  if (segments.some((s) => !s.packed)) return undefined;
  return segments.reduce((sum, s) => sum + s.length, 0);
}

/** A payload given as bytes in memory (models we build, or data replaced by a transformation). */
export function bytesTensorData(bytes: Uint8Array): TensorData {
  return {
    location: 'inline',
    byteLength: bytes.length,
    read: async () => bytes,
  };
}
