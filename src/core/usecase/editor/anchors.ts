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
