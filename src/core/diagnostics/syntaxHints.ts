import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { findFlowBracketProblem, maxFlowDepth } from './flowBrackets';
import type { LineIndex } from './lineIndex';
import type { Diagnostic, Range } from './types';
import { makeDiagnostic } from './makeDiagnostic';

/** Control characters YAML does not allow anywhere (tab, LF and CR are allowed). */
const controlCharacter = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const maxControlReports = 10;

/** One diagnostic per line holding control characters (the `yaml` library accepts them silently). */
export function controlCharacters(text: string, lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const match of text.matchAll(controlCharacter)) {
    const at = match.index;
    const range = lines.range(at, at + 1);
    if (seenLines.has(range.start.line)) continue;
    seenLines.add(range.start.line);
    const code = `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    out.push(
      makeDiagnostic('AIOS101', `invisible control character ${code} in the text: YAML does not allow it; remove it`, range, {
        fixes: [{ title: `Remove the control character ${code}`, edits: [{ range, newText: '' }], preferred: true }],
      }),
    );
    if (out.length >= maxControlReports) break;
  }
  return out;
}

const continuationMessages = /^(Nested mappings are not allowed in compact mappings|Implicit keys need to be on a single line)/;
const keyWithValue = /^(\s*(?:-\s+)*)([^\s#"'][^:#]*?):[ \t]+[^\s#]/;
const keyLine = /^(\s*)([^\s#-][^:#]*?):(?:[ \t]|$)/;

/**
 * `key: value` followed by a key indented deeper: the library reads the second line as the
 * continuation of the value and reports two cryptic errors on the first line. This says what
 * happened, on the line that is wrong, with the indentation to use. Undefined when the error
 * is something else.
 */
export function overIndentedKey(lines: LineIndex, errorLine: number, message: string): Diagnostic | undefined {
  if (!continuationMessages.test(message)) return undefined;
  const owner = keyWithValue.exec(lines.lineText(errorLine));
  if (!owner) return undefined;
  const column = owner[1]?.length ?? 0;
  for (let line = errorLine + 1; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const next = keyLine.exec(text);
    const indent = next?.[1]?.length ?? 0;
    if (!next || indent <= column) return undefined;
    const start = lines.offsetAt({ line, character: 0 });
    const range: Range = lines.range(start, start + indent);
    return makeDiagnostic(
      'AIOS101',
      `'${next[2]}' is indented deeper than '${owner[2]}' on line ${errorLine + 1}, which already has a value, so YAML reads it as part of that value: indent it by ${column} spaces like '${owner[2]}'`,
      lines.range(start + indent, start + text.trimEnd().length),
      { fixes: [{ title: `Indent '${next[2]}' like '${owner[2]}'`, edits: [{ range, newText: ' '.repeat(column) }], preferred: true }] },
    );
  }
  return undefined;
}

/**
 * Every repeated key of every mapping, with the offset of its first occurrence: one pass with a
 * set per mapping (the yaml library's own check compares every pair, quadratic in the keys).
 * Keys compare by their scalar value, as the library does; collection keys are not compared.
 */
export function duplicateKeys(document: Document.Parsed | undefined): Array<{ readonly at: number; readonly firstAt: number | undefined }> {
  const out: Array<{ at: number; firstAt: number | undefined }> = [];
  const stack: unknown[] = [document?.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<unknown, number | undefined>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const value = pair.key.value;
          if (seen.has(value)) out.push({ at: pair.key.range?.[0] ?? 0, firstAt: seen.get(value) });
          else seen.set(value, pair.key.range?.[0]);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The one diagnostic for a flow-bracket problem: nesting past the limit (reported instead of
 * parsing, the library would overflow its stack), or a closer that does not match, with the
 * lines of that flow collection (where the library's own flow messages say the same thing).
 */
export function flowBracketDiagnostic(text: string, lines: LineIndex): { diagnostic: Diagnostic; tooDeep: boolean; lines: [number, number] } | undefined {
  const flow = findFlowBracketProblem(text);
  if (!flow) return undefined;
  const outer = lines.positionAt(flow.outermost);
  if (flow.kind === 'tooDeep') {
    const message = `brackets nest more than ${maxFlowDepth} levels deep here (from line ${outer.line + 1}): use cases and SoC files need a few levels; look for a run of stray '[' or '{'`;
    return { diagnostic: makeDiagnostic('AIOS101', message, lines.range(flow.outermost, lines.lineEnd(outer.line))), tooDeep: true, lines: [outer.line, outer.line] };
  }
  const opener = lines.positionAt(flow.opener);
  const closer = flow.closer ?? flow.opener;
  const want = text[flow.opener] === '[' ? ']' : '}';
  const found = text[closer] ?? '';
  const range = lines.range(closer, closer + 1);
  const opened = `'${text[flow.opener] ?? ''}' opened on line ${opener.line + 1}, column ${opener.character + 1}`;
  const diagnostic = flow.closesOuter
    ? makeDiagnostic('AIOS101', `the ${opened} is not closed before this '${found}': add '${want}'`, range, {
        fixes: [{ title: `Add '${want}'`, edits: [{ range: { start: range.start, end: range.start }, newText: want }], preferred: true }],
      })
    : makeDiagnostic('AIOS101', `'${found}' does not match the ${opened}: write '${want}' here`, range, {
        fixes: [{ title: `Write '${want}'`, edits: [{ range, newText: want }], preferred: true }],
      });
  return { diagnostic, tooDeep: false, lines: [outer.line, range.start.line] };
}
