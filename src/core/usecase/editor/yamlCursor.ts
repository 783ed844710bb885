/**
 * Where the cursor is in a YAML file that is being typed: the YAML path of the mapping a key
 * would go into, or of the value being written. Works line by line from the indentation, so
 * it stays right while the document is half-written and the parser's tree is not (a partial
 * key on its own line parses as the continuation of the scalar above it).
 */

import { LineIndex } from '../../diagnostics/lineIndex';

export type YamlPath = ReadonlyArray<string | number>;

export interface KeySlot {
  readonly kind: 'key';
  /** Path of the mapping the key goes into. */
  readonly path: YamlPath;
  /** The word typed so far. */
  readonly partial: string;
  /** Offsets [start, end) a completion replaces. */
  readonly replace: readonly [number, number];
  /** Keys the mapping already has (block style: siblings at the same indentation). */
  readonly presentKeys: readonly string[];
  /** The slot starts a list item (`- |`): the item may be a scalar rather than a mapping. */
  readonly listItem: boolean;
  /** True inside `{...}` on one line. */
  readonly inFlow: boolean;
  /** The word is followed by `:` already (renaming a key): insert the name only. */
  readonly hasColon: boolean;
}

export interface ValueSlot {
  readonly kind: 'value';
  /** Path of the value (for a list item, ends with its index). */
  readonly path: YamlPath;
  readonly partial: string;
  readonly replace: readonly [number, number];
  /** The cursor follows `key:` directly: an inserted value needs a leading space. */
  readonly needsSpace: boolean;
  readonly inFlow: boolean;
}

export type CursorSlot = KeySlot | ValueSlot;

interface Element {
  readonly col: number;
  readonly kind: 'dash' | 'key' | 'scalar';
  readonly key?: string;
  /** Column just after the key's colon. */
  readonly afterColon?: number;
}

const keyPattern = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#{}[\],&*!|>'"%@`-][^#\n]*?|-[^\s#][^#\n]*?)[ \t]*:(?=[ \t]|$)/;

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key.trim();
}

/** The structural elements of one line: leading `- ` markers, then a `key:` or a scalar. */
export function lineElements(line: string): Element[] {
  const out: Element[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
      out.push({ col: i, kind: 'dash' });
      i++;
      continue;
    }
    break;
  }
  if (i >= line.length || line[i] === '#') return out;
  if (line.startsWith('---', i) || line.startsWith('...', i)) return out;
  const m = keyPattern.exec(line.slice(i));
  if (m && m[1] !== undefined) out.push({ col: i, kind: 'key', key: unquote(m[1]), afterColon: i + m[0].length });
  else out.push({ col: i, kind: 'scalar' });
  return out;
}

/** The text's lines (line breaks as LineIndex counts them) with each line's YAML elements, parsed once. */
class Lines extends LineIndex {
  private readonly cache = new Map<number, Element[]>();

  elements(n: number): Element[] {
    let e = this.cache.get(n);
    if (!e) {
      e = lineElements(this.lineText(n));
      this.cache.set(n, e);
    }
    return e;
  }
}

interface Located {
  readonly line: number;
  /** Index into that line's elements. */
  readonly index: number;
  readonly el: Element;
}

/** The parent of a key at column `col` found on lines above `line`; collects same-column sibling keys. */
function parentOfKey(lines: Lines, line: number, col: number, siblings: string[] | undefined): Located | undefined {
  for (let n = line - 1; n >= 0; n--) {
    const els = lines.elements(n);
    if (els.length === 0) continue;
    let parent: Located | undefined;
    els.forEach((el, index) => {
      if (el.col < col) parent = { line: n, index, el };
      else if (el.col === col && el.kind === 'key' && el.key !== undefined) siblings?.push(el.key);
    });
    if (parent) return parent;
  }
  return undefined;
}

/** The parent of a list item whose dash is at `col`, and how many items precede it. */
function parentOfDash(lines: Lines, line: number, col: number): { parent: Located | undefined; index: number } {
  let index = 0;
  for (let n = line - 1; n >= 0; n--) {
    const els = lines.elements(n);
    let rightmost: Located | undefined;
    els.forEach((el, i) => {
      if (el.col <= col) rightmost = { line: n, index: i, el };
    });
    if (!rightmost) continue;
    if (rightmost.el.col === col && rightmost.el.kind === 'dash') {
      index++;
      const before = rightmost.index > 0 ? els[rightmost.index - 1] : undefined;
      if (before) return { parent: { line: n, index: rightmost.index - 1, el: before }, index };
      continue;
    }
    if (rightmost.el.col === col && rightmost.el.kind !== 'key') continue;
    return { parent: rightmost, index };
  }
  return { parent: undefined, index };
}

/** Path segments from the root down to (and including) `start`. */
function pathTo(lines: Lines, start: Located): Array<string | number> {
  const reversed: Array<string | number> = [];
  let current: Located | undefined = start;
  for (let guard = 0; current && guard < 1000; guard++) {
    const line: number = current.line;
    const index: number = current.index;
    const el: Element = current.el;
    let parent: Located | undefined;
    if (el.kind === 'dash') {
      const found: { parent: Located | undefined; index: number } | undefined = index > 0 ? undefined : parentOfDash(lines, line, el.col);
      const items = found ? found.index : 0;
      reversed.push(items);
      parent = index > 0 ? at(lines, line, index - 1) : found?.parent;
    } else {
      if (el.kind === 'key' && el.key !== undefined) reversed.push(el.key);
      parent = index > 0 ? at(lines, line, index - 1) : parentOfKey(lines, line, el.col, undefined);
    }
    current = parent;
  }
  return reversed.reverse();
}

function at(lines: Lines, line: number, index: number): Located | undefined {
  const el = lines.elements(line)[index];
  return el ? { line, index, el } : undefined;
}

/** Keys at column `col` below `line` that belong to the same mapping. */
function siblingsBelow(lines: Lines, line: number, col: number): string[] {
  const out: string[] = [];
  for (let n = line + 1; n < lines.lineCount; n++) {
    const els = lines.elements(n);
    if (els.length === 0) continue;
    const first = els[0];
    if (!first || first.col < col) break;
    if (first.col === col && first.kind === 'key' && first.key !== undefined) out.push(first.key);
  }
  return out;
}

const wordChar = /[^\s,{}[\]:#'"]/;

function wordAround(lineStart: number, lineText: string, cursorCol: number, from: number): { partial: string; replace: [number, number] } {
  let s = cursorCol;
  while (s > from && wordChar.test(lineText[s - 1] ?? '')) s--;
  let e = cursorCol;
  while (e < lineText.length && wordChar.test(lineText[e] ?? '')) e++;
  return { partial: lineText.slice(s, cursorCol), replace: [lineStart + s, lineStart + e] };
}

/** The end of a block value on its line, before a trailing comment and spaces. */
function valueEnd(lineText: string, from: number): number {
  let end = lineText.length;
  for (let i = from; i < lineText.length; i++) {
    if (lineText[i] === '#' && (i === from || lineText[i - 1] === ' ')) {
      end = i;
      break;
    }
  }
  while (end > from && lineText[end - 1] === ' ') end--;
  return end;
}

interface FlowFrame {
  readonly kind: 'map' | 'seq';
  key: string | undefined;
  expectingValue: boolean;
  index: number;
  tokenStart: number;
}

/** Walks a one-line flow collection (`{a: 1, b: [x, y]}`) from `from` to the cursor. */
function flowSlot(lineText: string, lineStart: number, from: number, cursorCol: number, basePath: YamlPath): CursorSlot | undefined {
  const stack: FlowFrame[] = [];
  let i = from;
  while (i < cursorCol) {
    const c = lineText[i];
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'") {
      const close = lineText.indexOf(c, i + 1);
      if (close < 0 || close >= cursorCol) return undefined;
      i = close + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'map' : 'seq', key: undefined, expectingValue: false, index: 0, tokenStart: i + 1 });
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) return undefined;
    } else if (c === ',' && top) {
      if (top.kind === 'map') {
        top.key = undefined;
        top.expectingValue = false;
      } else top.index++;
      top.tokenStart = i + 1;
    } else if (c === ':' && top?.kind === 'map' && !top.expectingValue && (lineText[i + 1] === ' ' || i + 1 === lineText.length || i + 1 === cursorCol || lineText[i + 1] === ',' || lineText[i + 1] === '}')) {
      top.key = unquote(lineText.slice(top.tokenStart, i).trim());
      top.expectingValue = true;
      top.tokenStart = i + 1;
    } else if (c === '#' && lineText[i - 1] === ' ') {
      return undefined;
    }
    i++;
  }
  if (stack.length === 0) return undefined;
  const path: Array<string | number> = [...basePath];
  stack.forEach((frame, k) => {
    const last = k === stack.length - 1;
    if (frame.kind === 'seq') path.push(frame.index);
    else if (!last && frame.key !== undefined) path.push(frame.key);
  });
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const { partial, replace } = wordAround(lineStart, lineText, cursorCol, top.tokenStart);
  if (top.kind === 'map' && !top.expectingValue) {
    const presentKeys = flowKeys(lineText, top.tokenStart);
    const hasColon = /^\s*:/.test(lineText.slice(replace[1] - lineStart));
    return { kind: 'key', path, partial: partial.trimStart(), replace, presentKeys, listItem: false, inFlow: true, hasColon };
  }
  if (top.kind === 'map' && top.key !== undefined) path.push(top.key);
  return { kind: 'value', path, partial, replace, needsSpace: lineText[cursorCol - 1] === ':', inFlow: true };
}

/** Keys already written in the innermost flow mapping (scanning the whole line is good enough here). */
function flowKeys(lineText: string, from: number): string[] {
  let open = from - 1;
  let depth = 0;
  while (open > 0) {
    const c = lineText[open];
    if (c === '}') depth++;
    else if (c === '{') {
      if (depth === 0) break;
      depth--;
    }
    open--;
  }
  const keys: string[] = [];
  const re = /[{,]\s*([A-Za-z_][\w-]*)\s*:/g;
  re.lastIndex = Math.max(0, open);
  for (let m = re.exec(lineText); m; m = re.exec(lineText)) if (m[1]) keys.push(m[1]);
  return keys;
}

/** The completion slot at `offset` in `text`. */
export function cursorSlot(text: string, offset: number): CursorSlot {
  const lines = new Lines(text);
  const clamped = Math.max(0, Math.min(offset, text.length));
  const { line, character } = lines.positionAt(clamped);
  const lineStart = clamped - character;
  const lineText = lines.lineText(line);
  const col = Math.min(offset - lineStart, lineText.length);
  const els = lines.elements(line);

  // Elements that start before the cursor; the last one decides the slot.
  const before = els.filter((el) => el.col < col || (el.kind !== 'dash' && el.col <= col));
  const last = before[before.length - 1];

  if (last?.kind === 'key' && last.afterColon !== undefined && col >= last.afterColon) {
    const keyPath = pathTo(lines, { line, index: before.length - 1, el: last });
    let valueStart = last.afterColon;
    while (lineText[valueStart] === ' ' && valueStart < col) valueStart++;
    if (lineText[valueStart] === '{' || lineText[valueStart] === '[') {
      const flow = flowSlot(lineText, lineStart, valueStart, col, keyPath);
      if (flow) return flow;
    }
    const end = Math.max(col, valueEnd(lineText, valueStart));
    return { kind: 'value', path: keyPath, partial: lineText.slice(valueStart, col), replace: [lineStart + valueStart, lineStart + end], needsSpace: lineText[col - 1] === ':', inFlow: false };
  }

  const listItem = last?.kind === 'dash' || (last !== undefined && before.length >= 2 && before[before.length - 2]?.kind === 'dash');
  const slotCol = last && last.kind !== 'dash' ? last.col : col;
  const { partial, replace } = wordAround(lineStart, lineText, col, slotCol);

  // The container: an element to the left on this line (a dash), or a line above.
  const leftIndex = last && last.kind !== 'dash' ? before.length - 2 : before.length - 1;
  const left = leftIndex >= 0 ? at(lines, line, leftIndex) : undefined;
  const siblings: string[] = [];
  let path: Array<string | number>;
  if (left && left.el.kind === 'dash') {
    path = pathTo(lines, left);
  } else {
    const parent = parentOfKey(lines, line, slotCol, siblings);
    path = parent ? pathTo(lines, parent) : [];
  }
  if (!(left && left.el.kind === 'dash')) siblings.push(...siblingsBelow(lines, line, slotCol));
  const hasColon = last?.kind === 'key' || /^\s*:/.test(lineText.slice(replace[1] - lineStart));
  return { kind: 'key', path, partial, replace, presentKeys: [...new Set(siblings)], listItem, inFlow: false, hasColon };
}
