import { isMap, isNode, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedYaml } from './yamlDocument';
import type { Position, Range } from './types';

export interface PathAtPosition {
  /** YAML path of the innermost entry at the position, e.g. ['targets', 0, 'soc']. */
  readonly path: ReadonlyArray<string | number>;
  /** Whether the position is on a key, on a value, or in the blank part of a mapping (where a new key goes). */
  readonly on: 'key' | 'value' | 'mapping';
  /** Range of the key or value under the position, when there is one. */
  readonly range?: Range;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  return !!node?.range && node.range[0] <= offset && offset <= node.range[1];
}

/**
 * What is at an editor position, for completion and hover: walks the parsed tree down to the
 * innermost key or value whose range contains the position.
 */
export function pathAtPosition(parsed: ParsedYaml, position: Position): PathAtPosition {
  const offset = parsed.lines.offsetAt(position);
  const path: Array<string | number> = [];
  let node: unknown = parsed.document?.contents;
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (contains(p.key as Node, offset) || (isNode(p.value) && contains(p.value, offset))));
      if (!pair) return { path, on: 'mapping' };
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' && typeof key !== 'number') return { path, on: 'mapping' };
      path.push(typeof key === 'number' ? String(key) : key);
      if (isScalar(pair.key) && contains(pair.key, offset)) return { path, on: 'key', range: parsed.lines.range(pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0) };
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => isNode(item) && contains(item, offset));
      if (index < 0) return { path, on: 'value' };
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node)) {
      return { path, on: 'value', range: parsed.lines.range(node.range?.[0] ?? 0, node.range?.[1] ?? 0) };
    } else {
      return { path, on: 'value' };
    }
  }
  return { path, on: 'value' };
}
