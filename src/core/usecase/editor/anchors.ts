import { isMap, isScalar, isSeq, type Document } from 'yaml';

/** Where each `targets:` item starts, with its soc id: code lenses sit there. */
export interface TargetAnchor {
  readonly index: number;
  readonly soc: string | undefined;
  /** Offset of the item's first character (after `- `). */
  readonly offset: number;
}

export function targetAnchors(document: Document.Parsed | undefined): TargetAnchor[] {
  const contents = document?.contents;
  if (!isMap(contents)) return [];
  const targets = contents.get('targets', true);
  if (!isSeq(targets)) return [];
  return targets.items.flatMap((item, index) => {
    if (!isMap(item) || !item.range) return [];
    const soc = item.get('soc', true);
    return [{ index, soc: isScalar(soc) && typeof soc.value === 'string' ? soc.value : undefined, offset: item.range[0] }];
  });
}

/** The model path written in the file, read leniently so completion works while the file is broken. */
export function writtenModelPath(value: unknown, text: string): string | undefined {
  const model = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['model'] : undefined;
  const path = typeof model === 'object' && model !== null ? (model as Record<string, unknown>)['path'] : undefined;
  if (typeof path === 'string' && path.length > 0) return path;
  const m = /^model:[ \t]*\r?\n(?:[ \t]+.*\r?\n|[ \t]*\r?\n)*?[ \t]+path:[ \t]*["']?([^"'#\r\n]+?)["']?[ \t]*(?:#.*)?$/m.exec(text);
  return m?.[1];
}

/**
 * The same anchors from the text alone, line by line: cheap enough to run on every keystroke
 * of a 5,000-line file, and still there while the file does not parse. Block-style lists only.
 */
export function targetAnchorsInText(text: string): TargetAnchor[] {
  const anchors: TargetAnchor[] = [];
  const lineRe = /[^\n]*\n?/g;
  let inTargets = false;
  let dashCol = -1;
  let current: { index: number; soc: string | undefined; offset: number } | undefined;
  const flush = () => {
    if (current) anchors.push({ ...current });
    current = undefined;
  };
  for (let m = lineRe.exec(text); m && m[0].length > 0; m = lineRe.exec(text)) {
    const line = m[0].replace(/\r?\n$/, '');
    const start = m.index;
    const trimmed = line.trimStart();
    const col = line.length - trimmed.length;
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    if (!inTargets) {
      if (/^targets:[ \t]*(#.*)?$/.test(line)) inTargets = true;
      continue;
    }
    const isDash = trimmed.startsWith('- ') || trimmed === '-';
    if (col === 0 && !isDash) break;
    if (isDash && (dashCol < 0 || col === dashCol)) {
      flush();
      dashCol = col;
      const after = trimmed.slice(1).trimStart();
      current = { index: anchors.length, soc: undefined, offset: start + col + (trimmed.length - after.length) };
      const soc = /^soc:[ \t]*["']?([^"'#\s]+)/.exec(after);
      if (soc?.[1]) current.soc = soc[1];
      continue;
    }
    if (current && current.soc === undefined && col > dashCol) {
      const soc = /^soc:[ \t]*["']?([^"'#\s]+)/.exec(trimmed);
      if (soc?.[1]) current.soc = soc[1];
    }
  }
  flush();
  return anchors;
}
