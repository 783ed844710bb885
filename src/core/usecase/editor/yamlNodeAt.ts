import { isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { YamlPath } from './yamlCursor';

/** The key or value under an offset of a parsed document, with its path and source span. */
export interface NodeHit {
  readonly path: YamlPath;
  readonly on: 'key' | 'value';
  /** Offsets [start, end) of the key or scalar value under the offset. */
  readonly span: readonly [number, number];
  /** The scalar value (for `on: 'value'`), as parsed. */
  readonly value?: unknown;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && r[0] <= offset && offset <= r[1];
}

/** What the offset points at: a key, or a scalar value; undefined between nodes. */
export function nodeAt(document: Document.Parsed | undefined, offset: number): NodeHit | undefined {
  let node: unknown = document?.contents;
  const path: Array<string | number> = [];
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = pair.key;
        if (isNode(key) && contains(key, offset) && isScalar(key) && key.range) {
          return { path: [...path, String(key.value)], on: 'key', span: [key.range[0], key.range[1]] };
        }
        if (isNode(pair.value) && contains(pair.value, offset) && isScalar(key)) {
          path.push(String(key.value));
          next = pair.value;
          break;
        }
      }
      if (next === undefined) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => isNode(item) && contains(item, offset));
      if (index < 0) return undefined;
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node) && node.range) {
      return { path, on: 'value', span: [node.range[0], node.range[1]], value: node.value };
    } else {
      return undefined;
    }
  }
  return undefined;
}
