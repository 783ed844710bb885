import { isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { describeAt } from '../../diagnostics/schemaWalk';
import type { YamlPath } from './yamlCursor';

/** Symbol kinds an outline needs; the extension maps them to its editor's kinds. */
export type OutlineKind = 'module' | 'object' | 'array' | 'string' | 'number' | 'boolean' | 'enumMember' | 'key';

/** One entry of the outline, with offsets [start, end) into the text. */
export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  readonly path: YamlPath;
  readonly range: readonly [number, number];
  readonly selection: readonly [number, number];
  readonly children: readonly OutlineSymbol[];
}

/** Keys whose value names a list item better than its index. */
const itemLabelKeys = ['soc', 'name', 'id', 'when', 'from'];

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function span(node: Node): [number, number] {
  const r = node.range ?? [0, 0, 0];
  return [r[0], r[1]];
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The outline of a YAML document: mappings and lists nest, scalars show their value as detail. */
export function outline(document: Document.Parsed | undefined, schema?: z.core.$ZodType): OutlineSymbol[] {
  const contents = document?.contents;
  if (!isNode(contents)) return [];
  return children(contents, [], schema ? schemaKinds(schema) : undefined, true);
}

type KindLookup = (path: YamlPath) => string | undefined;

/** Schema kinds by path, list indices folded: a 5,000-line file asks for the same few paths again and again. */
function schemaKinds(schema: z.core.$ZodType): KindLookup {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    const key = path.map((p) => (typeof p === 'number' ? '#' : p)).join('\u0000');
    if (!cache.has(key)) cache.set(key, describeAt(schema, path.map((p) => (typeof p === 'number' ? 0 : p)))?.kind);
    return cache.get(key);
  };
}

function children(node: Node, path: YamlPath, schema: KindLookup | undefined, top: boolean): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const name = String(pair.key.value);
      const childPath = [...path, name];
      const keySpan = span(pair.key);
      const value = pair.value;
      const end = isNode(value) && value.range ? value.range[1] : keySpan[1];
      out.push(entry(name, childPath, value, [keySpan[0], end], keySpan, schema, top));
    }
  } else if (isSeq(node)) {
    const long = node.items.length > longListItems;
    node.items.forEach((item, index) => {
      if (!isNode(item)) return;
      const childPath = [...path, index];
      const label = isMap(item) ? itemLabelKeys.map((k) => scalarText(item.get(k, true))).find((t) => t !== undefined) : scalarText(item);
      const symbol = entry(label !== undefined ? shorten(label) : `[${index}]`, childPath, item, span(item), span(item), schema, false);
      out.push(long ? withoutLeaves(symbol) : symbol);
    });
  }
  return out;
}

function entry(name: string, path: YamlPath, value: unknown, range: [number, number], selection: [number, number], schema: KindLookup | undefined, top: boolean): OutlineSymbol {
  const base = { name, path, range, selection };
  if (isMap(value) || isSeq(value)) {
    const kids = children(value, path, schema, false);
    const detail = isSeq(value) ? `${value.items.length} item${value.items.length === 1 ? '' : 's'}` : isMap(value) && typeof path[path.length - 1] === 'number' ? describeItem(value) : '';
    return { ...base, detail, kind: top && isMap(value) ? 'module' : isSeq(value) ? 'array' : 'object', children: kids };
  }
  const text = scalarText(value) ?? '';
  const schemaKind = schema?.(path);
  let kind: OutlineKind = 'string';
  if (schemaKind === 'enum' || schemaKind === 'literal') kind = 'enumMember';
  else if (isScalar(value) && typeof value.value === 'number') kind = 'number';
  else if (schemaKind === 'quantity') kind = 'number';
  else if (isScalar(value) && typeof value.value === 'boolean') kind = 'boolean';
  else if (!isScalar(value) || value.value === null) kind = 'key';
  return { ...base, detail: shorten(text), kind, children: [] };
}

/**
 * Items of a list longer than this keep their nested lists and mappings in the outline but not
 * their scalar fields (the item's detail already shows them): VS Code blocks the extension
 * host while it converts symbols, and 1,600 data-loop triggers would otherwise be 6,600.
 */
const longListItems = 100;

function withoutLeaves(symbol: OutlineSymbol): OutlineSymbol {
  return { ...symbol, children: symbol.children.filter((child) => child.kind === 'array' || child.kind === 'object' || child.kind === 'module') };
}

/** Detail of a list item: the scalar entries that are not its label, e.g. `engine: npu`. */
function describeItem(map: Node): string {
  if (!isMap(map)) return '';
  const parts: string[] = [];
  for (const pair of map.items) {
    const key = scalarText(pair.key);
    const value = scalarText(pair.value);
    if (key !== undefined && value !== undefined && !itemLabelKeys.includes(key)) parts.push(`${key}: ${value}`);
  }
  return shorten(parts.join(', '));
}
