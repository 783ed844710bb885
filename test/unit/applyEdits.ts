import { LineIndex } from '../../src/core/diagnostics/lineIndex';
import type { TextEdit } from '../../src/core/diagnostics/types';

/** Applies a quick fix's edits the way an editor does: all ranges refer to the original text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}
