import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Schema } from 'yaml';

/**
 * A fast reader for the YAML that use cases and SoC files are made of: block mappings and
 * sequences, single-line plain and quoted scalars, single-line flow collections, comments.
 * It builds the same nodes, values and source ranges as the `yaml` library (differential tests
 * hold it to that) and gives up — returns undefined — on anything else: anchors, tags, block
 * scalars, multi-line scalars or flow collections, escapes, explicit keys, directives, several
 * documents, duplicate keys, tabs, CR line ends, errors of any kind. The caller then parses with
 * `yaml`, which reports errors properly.
 *
 * Why it exists: the `yaml` parser spends ~14 µs per line (generator-based CST), so a
 * 5,000-line file cannot meet the 100 ms validation goal (issue 3) with it; this reader
 * is ~10x faster on the files it accepts, which is every well-formed file we have seen.
 */
export interface PlainBlockYaml {
  readonly document: Document.Parsed;
  readonly value: unknown;
}

/** Whole-text screen: tabs, CR, BOM, replacement and control characters, other line breaks. */
const unsupportedCharacters = /[\0-\x08\t\x0b-\x1f\x7f\x85\u2028\u2029\uFEFF\uFFFD]/;

export function parsePlainBlockYaml(text: string): PlainBlockYaml | undefined {
  if (unsupportedCharacters.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch {
    // Giving up, or too deep for the stack: the library decides (and reports) the rest.
    return undefined;
  }
}

const giveUp = new Error('not plain block YAML');

const enum Kind {
  Blank,
  Comment,
  Text,
}

interface Line {
  readonly start: number;
  /** Offset of the line's '\n', or the text length for the last line. */
  readonly end: number;
  readonly indent: number;
  readonly kind: Kind;
}

const space = 32;
const hash = 35;
const dash = 45;
const colon = 58;

/** A plain block key: letters, digits, `_ . / -`, then ':' and a space or the line end. */
const blockKey = /[A-Za-z0-9_][A-Za-z0-9_./-]*:(?=[ \n]|$)/y;
const flowKey = /[A-Za-z0-9_][A-Za-z0-9_./-]*: /y;
const maxKeyLength = 1000;
const maxDepth = 100;

/** The core schema's scalar resolution, in the `yaml` library's order. */
function resolvePlain(source: string): Scalar {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(source)) return new Scalar(null);
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(source)) return new Scalar(source[0] === 't' || source[0] === 'T');
  if (/^0o[0-7]+$/.test(source)) return withFormat(new Scalar(parseInt(source.slice(2), 8)), 'OCT');
  if (/^[-+]?[0-9]+$/.test(source)) return new Scalar(parseInt(source, 10));
  if (/^0x[0-9a-fA-F]+$/.test(source)) return withFormat(new Scalar(parseInt(source.slice(2), 16)), 'HEX');
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(source)) {
    return new Scalar(source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(source)) return withFormat(new Scalar(parseFloat(source)), 'EXP');
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(source)) {
    const scalar = new Scalar(parseFloat(source));
    const dot = source.indexOf('.');
    if (dot !== -1 && source[source.length - 1] === '0') scalar.minFractionDigits = source.length - dot - 1;
    return scalar;
  }
  return new Scalar(source);
}

function withFormat(scalar: Scalar, format: string): Scalar {
  scalar.format = format;
  return scalar;
}

type Range = [number, number, number];

interface Built {
  readonly node: Scalar | YAMLMap | YAMLSeq;
  readonly value: unknown;
}

class Reader {
  private readonly lines: Line[] = [];
  private depth = 0;
  private readonly schema: Schema;
  private readonly document: Document.Parsed;

  constructor(private readonly text: string) {
    this.document = new Document() as unknown as Document.Parsed;
    this.schema = this.document.schema;
  }

  read(): PlainBlockYaml {
    this.scanLines();
    const first = this.nextText(0);
    if (first < 0 || this.line(first).indent !== 0 || this.isDash(first, 0)) throw giveUp;
    const { node, value, next } = this.blockMap(first, 0, this.line(first).start);
    if (next >= 0) throw giveUp;
    const document = this.document;
    document.contents = node as unknown as Document.Parsed['contents'];
    document.range = [node.range?.[0] ?? 0, node.range?.[1] ?? 0, this.text.length];
    return { document, value };
  }

  private scanLines(): void {
    const text = this.text;
    let start = 0;
    for (;;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let indent = start;
      while (indent < end && text.charCodeAt(indent) === space) indent++;
      const kind = indent === end ? Kind.Blank : text.charCodeAt(indent) === hash ? Kind.Comment : Kind.Text;
      if (indent === start && kind === Kind.Text && (text.startsWith('---', start) || text.startsWith('...', start))) throw giveUp;
      this.lines.push({ start, end, indent: indent - start, kind });
      if (end >= text.length) break;
      start = end + 1;
    }
    // Where a comment line belongs (end of the previous node or start of the next) decides
    // node ranges in the `yaml` library; only the unambiguous case is accepted: a comment
    // indented exactly like the next content line.
    let nextIndent: number | undefined;
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const line = this.line(i);
      if (line.kind === Kind.Text) nextIndent = line.indent;
      // Comments at the left margin after the last line belong to the document, not to a node.
      else if (line.kind === Kind.Comment && line.indent !== (nextIndent ?? 0)) throw giveUp;
    }
  }

  private line(index: number): Line {
    const line = this.lines[index];
    if (!line) throw giveUp;
    return line;
  }

  /** The first content line at or after `from`, or -1. */
  private nextText(from: number): number {
    for (let i = from; i < this.lines.length; i++) if (this.lines[i]?.kind === Kind.Text) return i;
    return -1;
  }

  /** Whether a comment line lies strictly between lines `from` and `to`. */
  private commentBetween(from: number, to: number): boolean {
    for (let i = from + 1; i < to; i++) if (this.lines[i]?.kind === Kind.Comment) return true;
    return false;
  }

  /** Whether the blank and comment lines just before content line `to` hold a comment. */
  private commentRightBefore(to: number): boolean {
    for (let i = to - 1; i >= 0 && this.lines[i]?.kind !== Kind.Text; i--) if (this.lines[i]?.kind === Kind.Comment) return true;
    return false;
  }

  /** Nesting guard: deeper documents go to the library, which reports them properly. */
  private enter(): void {
    if (++this.depth > maxDepth) throw giveUp;
  }

  /** Offset just past the line's '\n' (or the text end): where `yaml` ends a node that closes the line. */
  private afterLine(line: Line): number {
    return line.end < this.text.length ? line.end + 1 : line.end;
  }

  private isDash(index: number, column: number): boolean {
    const line = this.line(index);
    const at = line.start + column;
    if (this.text.charCodeAt(at) !== dash) return false;
    return at + 1 === line.end || this.text.charCodeAt(at + 1) === space;
  }

  /** A block mapping whose keys sit at `column`; the first key starts at offset `firstKeyAt` of line `index`. */
  private blockMap(index: number, column: number, firstKeyAt: number): Built & { next: number } {
    this.enter();
    const map = new YAMLMap(this.schema);
    const value: Record<string, unknown> = {};
    const seen = new Set<string>();
    let lineIndex = index;
    let keyAt = firstKeyAt;
    let end = keyAt;
    let next = -1;
    for (;;) {
      blockKey.lastIndex = keyAt;
      const match = blockKey.exec(this.text);
      if (!match || match.index !== keyAt) throw giveUp;
      const keyText = match[0].slice(0, -1);
      if (keyText.length > maxKeyLength || keyText === '__proto__' || seen.has(keyText)) throw giveUp;
      const key = resolvePlain(keyText);
      if (typeof key.value !== 'string') throw giveUp;
      seen.add(keyText);
      const keyEnd = keyAt + keyText.length;
      this.place(key, [keyAt, keyEnd, keyEnd], keyText, Scalar.PLAIN);
      const entry = this.valueAfter(lineIndex, keyEnd + 1, column, true);
      map.items.push(new Pair(key, entry.node));
      value[keyText] = entry.value;
      end = entry.node.range?.[2] ?? end;
      next = entry.next;
      if (next < 0) break;
      const following = this.line(next);
      if (following.indent !== column || this.isDash(next, column)) break;
      lineIndex = next;
      keyAt = following.start + column;
    }
    map.range = [firstKeyAt, end, end];
    this.depth--;
    return { node: map, value, next };
  }

  /** A block sequence whose dashes sit at `column`, starting on line `index`. */
  private blockSeq(index: number, column: number): Built & { next: number } {
    this.enter();
    const seq = new YAMLSeq(this.schema);
    const value: unknown[] = [];
    let lineIndex = index;
    let end = 0;
    let next = -1;
    for (;;) {
      const line = this.line(lineIndex);
      const at = skipSpaces(this.text, line.start + column + 1, line.end);
      if (at === line.end || this.text.charCodeAt(at) === hash) throw giveUp;
      if (this.text.charCodeAt(at) === dash && (at + 1 === line.end || this.text.charCodeAt(at + 1) === space)) throw giveUp;
      blockKey.lastIndex = at;
      let item: Built & { next: number };
      if (blockKey.test(this.text)) {
        item = this.blockMap(lineIndex, at - line.start, at);
      } else {
        item = this.valueAfter(lineIndex, at, column, false);
      }
      seq.items.push(item.node);
      value.push(item.value);
      end = item.node.range?.[2] ?? end;
      next = item.next;
      if (next < 0) break;
      if (this.line(next).indent !== column || !this.isDash(next, column)) break;
      lineIndex = next;
    }
    seq.range = [this.line(index).start + column, end, end];
    this.depth--;
    return { node: seq, value, next };
  }

  /**
   * The value that starts at `from` on line `index` (after a key's ':' or a '- '), owned by
   * a collection at `column`. Returns it and the next content line after it.
   */
  private valueAfter(index: number, from: number, column: number, inMap: boolean): Built & { next: number } {
    const line = this.line(index);
    const text = this.text;
    const at = skipSpaces(text, from, line.end);
    if (at === line.end || text.charCodeAt(at) === hash) {
      if (!inMap) throw giveUp;
      const next = this.nextText(index + 1);
      if (next >= 0) {
        const below = this.line(next);
        if (below.indent > column) {
          return this.isDash(next, below.indent) ? this.blockSeq(next, below.indent) : this.blockMap(next, below.indent, below.start + below.indent);
        }
        if (below.indent === column && this.isDash(next, column)) {
          // A comment after a list that shares its parent's column closes the list in the library.
          const list = this.blockSeq(next, column);
          if (list.next >= 0 && this.commentRightBefore(list.next)) throw giveUp;
          return list;
        }
      }
      // After `key: # comment`, or before comment lines, the library's range of the empty
      // value runs into the lines that follow.
      if (at < line.end || this.commentBetween(index, next < 0 ? this.lines.length : next)) throw giveUp;
      const empty = new Scalar(null);
      this.place(empty, [at, at, at], '', Scalar.PLAIN);
      return { node: empty, value: null, next };
    }
    const built = this.inlineValue(line, at);
    const next = this.nextText(index + 1);
    // A deeper line would continue a multi-line scalar (or be an error): `yaml` decides those.
    if (next >= 0 && this.line(next).indent > column) throw giveUp;
    return { ...built, next };
  }

  /** A flow collection, quoted or plain scalar that ends on this line. */
  private inlineValue(line: Line, at: number): Built {
    const text = this.text;
    const c = text.charCodeAt(at);
    let built: Built;
    let close: number;
    if (c === 0x5b || c === 0x7b) {
      const flow = this.flow(at, line.end);
      built = flow;
      close = flow.close;
    } else if (c === 0x22 || c === 0x27) {
      const quoted = this.quoted(at, line.end);
      built = quoted;
      close = quoted.close;
    } else {
      let stop = at;
      while (stop < line.end && !(text.charCodeAt(stop) === hash && text.charCodeAt(stop - 1) === space)) stop++;
      const scalar = this.plainScalar(at, stop, plainBlockScalar);
      const range = scalar.node.range;
      if (range) range[2] = this.afterLine(line);
      return scalar;
    }
    const after = skipSpaces(text, close, line.end);
    if (after < line.end && !(text.charCodeAt(after) === hash && after > close)) throw giveUp;
    const range = built.node.range;
    if (range) range[2] = this.afterLine(line);
    return built;
  }

  /** A single- or double-quoted scalar closed on this line (no escapes); `close` is past the quote. */
  private quoted(at: number, lineEnd: number): Built & { close: number } {
    const text = this.text;
    const quote = text[at];
    let value = '';
    let i = at + 1;
    for (;;) {
      const q = text.indexOf(quote ?? '"', i);
      if (q < 0 || q >= lineEnd) throw giveUp;
      const part = text.slice(i, q);
      if (quote === '"' && part.includes('\\')) throw giveUp;
      value += part;
      if (quote === "'" && text[q + 1] === "'") {
        value += "'";
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    const scalar = new Scalar(value);
    this.place(scalar, [at, i, i], value, quote === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE);
    return { node: scalar, value, close: i };
  }

  /** A flow sequence or mapping closed on this line; `close` is past its bracket. */
  private flow(at: number, lineEnd: number): Built & { close: number } {
    this.enter();
    const text = this.text;
    const isMap = text.charCodeAt(at) === 0x7b;
    const closing = isMap ? 0x7d : 0x5d;
    const collection = isMap ? new YAMLMap(this.schema) : new YAMLSeq(this.schema);
    collection.flow = true;
    const mapValue: Record<string, unknown> = {};
    const seqValue: unknown[] = [];
    const seen = new Set<string>();
    let i = skipSpaces(text, at + 1, lineEnd);
    let first = true;
    for (;;) {
      if (i >= lineEnd) throw giveUp;
      if (text.charCodeAt(i) === closing) break;
      if (!first) throw giveUp;
      let key: Scalar | undefined;
      if (isMap) {
        flowKey.lastIndex = i;
        const match = flowKey.exec(text);
        if (!match || match.index !== i || match[0].length - 2 > maxKeyLength) throw giveUp;
        const keyText = match[0].slice(0, -2);
        key = resolvePlain(keyText);
        if (typeof key.value !== 'string' || keyText === '__proto__' || seen.has(keyText)) throw giveUp;
        seen.add(keyText);
        this.place(key, [i, i + keyText.length, i + keyText.length], keyText, Scalar.PLAIN);
        i = skipSpaces(text, i + match[0].length, lineEnd);
      }
      const item = this.flowItem(i, lineEnd);
      i = skipSpaces(text, item.end, lineEnd);
      const range = item.node.range;
      if (range) range[2] = i;
      if (isMap && key) {
        (collection as YAMLMap).items.push(new Pair(key, item.node));
        mapValue[String(key.value)] = item.value;
      } else {
        (collection as YAMLSeq).items.push(item.node);
        seqValue.push(item.value);
      }
      if (text.charCodeAt(i) === 0x2c) {
        i = skipSpaces(text, i + 1, lineEnd);
        first = true;
      } else {
        first = false;
      }
    }
    collection.range = [at, i + 1, i + 1];
    this.depth--;
    return { node: collection, value: isMap ? mapValue : seqValue, close: i + 1 };
  }

  /** One entry of a flow collection; `end` is where its text ends (before spaces and ',' or the bracket). */
  private flowItem(at: number, lineEnd: number): Built & { end: number } {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) {
      const flow = this.flow(at, lineEnd);
      return { ...flow, end: flow.close };
    }
    if (c === 0x22 || c === 0x27) {
      const quoted = this.quoted(at, lineEnd);
      return { ...quoted, end: quoted.close };
    }
    let stop = at;
    while (stop < lineEnd) {
      const d = text.charCodeAt(stop);
      if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) break;
      stop++;
    }
    const scalar = this.plainScalar(at, stop, plainFlowScalar);
    return { ...scalar, end: scalar.node.range?.[1] ?? stop };
  }

  /** The plain scalar between `at` and `stop`, trailing spaces trimmed; its range ends where its text does. */
  private plainScalar(at: number, stop: number, allowed: (source: string) => boolean): Built & { node: Scalar } {
    let valueEnd = stop;
    while (valueEnd > at && this.text.charCodeAt(valueEnd - 1) === space) valueEnd--;
    const source = this.text.slice(at, valueEnd);
    if (!allowed(source)) throw giveUp;
    const scalar = resolvePlain(source);
    this.place(scalar, [at, valueEnd, valueEnd], source, Scalar.PLAIN);
    return { node: scalar, value: scalar.value };
  }

  private place(scalar: Scalar, range: Range, source: string, type: Scalar.Type): void {
    scalar.range = range;
    scalar.source = source;
    scalar.type = type;
  }
}

function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === space) i++;
  return i;
}

/** Characters that cannot start a plain scalar (indicators), or that we leave to `yaml`. */
const badStart = /^[-?:,[\]{}#&*!|>'"%@`]/;

function plainBlockScalar(source: string): boolean {
  if (source.length === 0) return false;
  if (badStart.test(source) && !(source.charCodeAt(0) === dash && source.length > 1 && source.charCodeAt(1) !== space)) return false;
  return !source.includes(': ') && source.charCodeAt(source.length - 1) !== colon && !source.includes(' #');
}

function plainFlowScalar(source: string): boolean {
  if (!plainBlockScalar(source)) return false;
  return !source.includes(':') && !source.includes('#');
}
