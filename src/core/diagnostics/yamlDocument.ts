import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { LineIndex } from './lineIndex';
import { makeDiagnostic } from './makeDiagnostic';
import { parsePlainBlockYaml } from './plainBlockYaml';
import { controlCharacters, duplicateKeys, flowBracketDiagnostic, overIndentedKey } from './syntaxHints';
import type { Diagnostic, Range } from './types';

export { makeDiagnostic } from './makeDiagnostic';

/** Files larger than this are not validated: no editor-sized use case gets near it. */
export const maxValidatedChars = 8 * 1024 * 1024;

/** A YAML file parsed once and shared by all validation layers and editor features. */
export interface ParsedYaml {
  readonly text: string;
  readonly lines: LineIndex;
  /** The first document, or undefined for an empty file. */
  readonly document: Document.Parsed | undefined;
  /** Plain value of the first document; undefined when empty or unusable. */
  readonly value: unknown;
  readonly syntaxDiagnostics: readonly Diagnostic[];
  /** False when syntax errors make the tree unreliable; schema checks are then skipped. */
  readonly usable: boolean;
}

const tabIndent = /^[ ]*\t[\t ]*/;

/**
 * Syntax layer: every YAML error and warning, tabs, duplicate keys, extra documents. Synchronous.
 * Never throws: a parser failure (e.g. the call stack overflowing on thousands of nested block
 * levels) becomes one syntax diagnostic, for validation and editor features alike.
 */
export function parseYaml(text: string): ParsedYaml {
  try {
    return readYaml(text);
  } catch (e) {
    const lines = new LineIndex(text);
    const why = e instanceof RangeError ? 'it nests too deeply (thousands of levels)' : e instanceof Error ? e.message : String(e);
    return {
      text,
      lines,
      document: undefined,
      value: undefined,
      syntaxDiagnostics: [makeDiagnostic('AIOS101', `the YAML cannot be parsed: ${why}; use cases and SoC files need only a few levels`, lines.range(0, lines.lineEnd(0)))],
      usable: false,
    };
  }
}

function readYaml(text: string): ParsedYaml {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  if (text.length > maxValidatedChars) {
    diagnostics.push(makeDiagnostic('AIOS100', `the file is ${text.length} characters long; files over ${maxValidatedChars} are not validated: split it`, lines.range(0, 0)));
    return { text, lines, document: undefined, value: undefined, syntaxDiagnostics: diagnostics, usable: false };
  }
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) {
    diagnostics.push(makeDiagnostic('AIOS100', 'the file contains bytes that are not valid UTF-8; save it as UTF-8', lines.range(replaced, replaced + 1)));
  }

  diagnostics.push(...controlCharacters(text, lines));

  const tabLines = new Set<number>();
  const hasTabs = text.includes('\t');
  for (let line = 0; hasTabs && line < lines.lineCount; line++) {
    const lineText = lines.lineText(line);
    const m = tabIndent.exec(lineText);
    if (m && lineText.trim().length > 0 && !lineText.trimStart().startsWith('#')) {
      tabLines.add(line);
      const start = lines.offsetAt({ line, character: 0 });
      const range = lines.range(start, start + m[0].length);
      diagnostics.push(
        makeDiagnostic('AIOS102', 'tab used for indentation: YAML indents with spaces only', range, {
          fixes: [{ title: 'Replace tabs with spaces', edits: [{ range, newText: m[0].replace(/\t/g, '  ') }], preferred: true }],
        }),
      );
    }
  }

  const plain = diagnostics.length === 0 ? parsePlainBlockYaml(text) : undefined;
  if (plain) return { text, lines, document: plain.document, value: plain.value, syntaxDiagnostics: diagnostics, usable: true };

  // Nesting too deep is reported instead of parsing; a mismatch is reported below, only if the
  // library also finds the text broken (the bracket scan is not a parser).
  const flow = flowBracketDiagnostic(text, lines);
  if (flow?.tooDeep) return { text, lines, document: undefined, value: undefined, syntaxDiagnostics: [...diagnostics, flow.diagnostic], usable: false };
  let mismatch = flow?.diagnostic;
  const flowLines = flow?.lines;

  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false });
  const documents: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  let fatal = false;
  const hintedLines = new Set<number>();
  documents.forEach((doc, index) => {
    for (const error of doc.errors) {
      const [start, end] = error.pos;
      const range = lines.range(start, end);
      if (error.code === 'TAB_AS_INDENT' && tabLines.has(range.start.line)) continue;
      fatal = true;
      if (mismatch) {
        diagnostics.push(mismatch);
        mismatch = undefined;
      }
      if (flowLines && /flow/i.test(error.message) && range.start.line >= flowLines[0] && range.start.line <= flowLines[1]) continue;
      if (hintedLines.has(range.start.line)) continue;
      const hint = overIndentedKey(lines, range.start.line, error.message);
      if (hint) {
        hintedLines.add(range.start.line);
        diagnostics.push(hint);
        continue;
      }
      const opener = unclosedOpener(text, start, error.message);
      const at = opener === undefined ? range : lines.range(opener, lines.lineEnd(lines.positionAt(opener).line));
      const where = opener === undefined ? '' : ` (opened on line ${lines.positionAt(opener).line + 1}, detected on line ${range.start.line + 1})`;
      diagnostics.push(makeDiagnostic(error.code === 'TAB_AS_INDENT' ? 'AIOS102' : 'AIOS101', `${cleanMessage(error.message)}${where}`, at));
    }
    // Duplicate keys are found here in one pass (the library's uniqueKeys check is quadratic).
    for (const { at, firstAt } of duplicateKeys(doc)) {
      const key = duplicateKey(text, at);
      const where = firstAt === undefined ? '' : ` (first on line ${lines.positionAt(firstAt).line + 1})`;
      diagnostics.push(
        makeDiagnostic('AIOS103', `duplicate key${key ? ` '${key}'` : ''}${where}: a key may appear once in a mapping; remove one of them or merge their values`, key ? lines.range(at, at + key.length) : lines.range(at, at)),
      );
    }
    for (const warning of doc.warnings) {
      diagnostics.push(makeDiagnostic('AIOS106', cleanMessage(warning.message), lines.range(warning.pos[0], warning.pos[1])));
    }
    if (index === 1) {
      const start = doc.range[0];
      const range = lines.range(start, lines.lineEnd(lines.positionAt(start).line));
      diagnostics.push(makeDiagnostic('AIOS104', `a second YAML document starts here; a file holds one document (${documents.length} found)`, range));
    }
  });
  if (tabLines.size > 0) fatal = true;

  const document = documents[0];
  let value: unknown;
  let usable = !fatal;
  if (document && (document.contents === null || (isScalar(document.contents) && document.contents.value === null && document.contents.range[0] === document.contents.range[1]))) {
    diagnostics.push(makeDiagnostic('AIOS105', 'the file has no content: start with apiVersion: aios/v1', lines.range(0, lines.lineEnd(0))));
    usable = false;
  } else if (!document) {
    diagnostics.push(makeDiagnostic('AIOS105', 'the file is empty: start with apiVersion: aios/v1', lines.range(0, 0)));
    usable = false;
  } else if (usable) {
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      usable = false;
      const aliasAt = firstAlias(document.contents);
      diagnostics.push(
        makeDiagnostic(
          'AIOS107',
          `aliases cannot be expanded: ${e instanceof Error ? e.message : String(e)}; write the values out`,
          aliasAt ? nodeRange(lines, aliasAt) : lines.range(0, 0),
        ),
      );
    }
  }
  return { text, lines, document, value, syntaxDiagnostics: withoutRepeats(diagnostics), usable };
}

/** The library sometimes reports one mistake twice at the same place. */
function withoutRepeats(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.message}\u0000${d.range.start.line}:${d.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The parser notices an unclosed quote or bracket where the text ends or the next key starts;
 * the user has to fix the line that opened it. Returns that opener's offset, when it is clear.
 */
function unclosedOpener(text: string, errorAt: number, message: string): number | undefined {
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const at = text.lastIndexOf(quote, Math.max(0, errorAt - 1));
    return at >= 0 ? at : undefined;
  }
  const close = /must be sufficiently indented and end with a ([\]}])/.exec(message)?.[1];
  if (close) {
    const open = close === ']' ? '[' : '{';
    let depth = 0;
    for (let i = Math.min(errorAt, text.length) - 1; i >= 0; i--) {
      const c = text[i];
      if (c === close) depth++;
      else if (c === open) {
        if (depth === 0) return i;
        depth--;
      }
    }
  }
  return undefined;
}

/** Plain-words hints for the YAML parser's most cryptic messages. */
const hints: ReadonlyArray<[RegExp, string]> = [
  [/^Implicit keys need to be on a single line/, "a line without ': ' (or indented too far) runs into the next key"],
  [/^Nested mappings are not allowed in compact mappings/, "quote a value that contains ': ', or check the indentation of the next line"],
  [/^Implicit map keys need to be followed by map values/, "add ': ' after the key, or quote the text"],
  [/^All (mapping|sequence) items must start at the same column/, 'align this entry with its siblings'],
];

function cleanMessage(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
  const hint = hints.find(([re]) => re.test(first))?.[1];
  return hint ? `${first}: ${hint}` : first;
}

function duplicateKey(text: string, start: number): string | undefined {
  return text.slice(start, start + 80).split(/[:\n,}]/)[0]?.trimEnd() || undefined;
}

function firstAlias(node: unknown): Node | undefined {
  if (isAlias(node)) return node;
  if (isCollection(node)) {
    for (const item of node.items) {
      const found = isPair(item) ? (firstAlias(item.key) ?? firstAlias(item.value)) : firstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
}

export function nodeRange(lines: LineIndex, node: Node): Range {
  const r = node.range;
  if (!r) return lines.range(0, 0);
  return lines.range(r[0], r[1]);
}

/** Where a path points in the tree: the pair (for map entries), its key node and value node. */
export interface NodeAtPath {
  readonly pair?: Pair;
  readonly key?: Node;
  readonly value?: Node;
  /** The deepest existing node along the path (for paths into missing keys). */
  readonly deepest: Node | undefined;
  /** The key node of the deepest existing map entry along the path. */
  readonly deepestKey: Node | undefined;
  readonly complete: boolean;
}

export function findNode(document: Document.Parsed | undefined, path: ReadonlyArray<PropertyKey>): NodeAtPath {
  let node: unknown = document?.contents ?? undefined;
  let pair: Pair | undefined;
  let deepestKey: Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node) && (typeof segment === 'string' || typeof segment === 'number')) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!found) return { deepest: node, deepestKey, complete: false };
      pair = found;
      if (isNode(found.key)) deepestKey = found.key;
      node = found.value;
      if (node === null || node === undefined) {
        const isLast = i === path.length - 1;
        return { pair: found, ...(isNode(found.key) ? { key: found.key } : {}), deepest: isNode(found.key) ? found.key : undefined, deepestKey, complete: isLast };
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) return { deepest: node, deepestKey, complete: false };
      pair = undefined;
      node = item;
    } else {
      return { deepest: isNode(node) ? node : undefined, deepestKey, complete: false };
    }
  }
  return {
    ...(pair ? { pair } : {}),
    ...(pair && isNode(pair.key) && pair.value === node ? { key: pair.key } : {}),
    ...(isNode(node) ? { value: node } : {}),
    deepest: isNode(node) ? node : undefined,
    deepestKey,
    complete: true,
  };
}

/** Range of the value at `path` (or of its key when the value is empty), falling back to the nearest existing ancestor. */
export function valueRange(parsed: ParsedYaml, path: ReadonlyArray<PropertyKey>): Range {
  const at = findNode(parsed.document, path);
  if (at.value) return nodeRange(parsed.lines, at.value);
  if (at.key) return nodeRange(parsed.lines, at.key);
  return fallbackRange(parsed, at);
}

/** Range of the key at `path` (a map entry), falling back to its value or nearest ancestor. */
export function keyRange(parsed: ParsedYaml, path: ReadonlyArray<PropertyKey>): Range {
  const at = findNode(parsed.document, path);
  if (at.key) return nodeRange(parsed.lines, at.key);
  if (at.value) return nodeRange(parsed.lines, at.value);
  return fallbackRange(parsed, at);
}

function fallbackRange(parsed: ParsedYaml, at: NodeAtPath): Range {
  if (at.deepestKey) return nodeRange(parsed.lines, at.deepestKey);
  if (at.deepest?.range) {
    const start = at.deepest.range[0];
    return parsed.lines.range(start, Math.min(at.deepest.range[1], parsed.lines.lineEnd(parsed.lines.positionAt(start).line)));
  }
  return parsed.lines.range(0, parsed.lines.lineEnd(0));
}
