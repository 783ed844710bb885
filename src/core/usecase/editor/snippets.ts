import type { z } from 'zod';
import { describeAt, type SchemaInfo } from '../../diagnostics/schemaWalk';
import { quantityKinds } from '../../quantity/units';
import type { YamlPath } from './yamlCursor';

/**
 * Snippets (TextMate/LSP snippet syntax, as VS Code takes them) that write a key with its
 * required children, so a user gets a whole `model:` block or `targets:` item at once.
 * Lines after the first are indented relative to the first; editors add the line's indent.
 */

export interface SnippetOptions {
  /** Indentation unit; two spaces unless the file uses something else. */
  readonly indent?: string;
  /** Choices offered for the value at a path (e.g. catalog ids for targets[].soc). */
  readonly choices?: (path: YamlPath) => readonly string[] | undefined;
  /** Optional keys worth writing too (e.g. budgets.latency of a target), by object path. */
  readonly include?: (path: YamlPath) => readonly string[] | undefined;
}

class TabStops {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

export function escapeSnippetText(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, (c) => `\\${c}`);
}

function choice(stops: TabStops, values: readonly string[]): string {
  return `\${${stops.take()}|${values.map(escapeChoice).join(',')}|}`;
}

function placeholder(stops: TabStops, text: string): string {
  return `\${${stops.take()}:${escapeSnippetText(text)}}`;
}

/** A one-line value for a scalar field: choices for enums, a unit for quantities, the default if any. */
function inlineValue(info: SchemaInfo, path: YamlPath, stops: TabStops, options: SnippetOptions): string {
  const offered = options.choices?.(path);
  if (offered && offered.length > 0) return choice(stops, offered);
  if (info.values && info.values.length > 0) {
    const d = typeof info.defaultValue === 'string' ? info.defaultValue : undefined;
    const ordered = d && info.values.includes(d) ? [d, ...info.values.filter((v) => v !== d)] : info.values;
    return ordered.length === 1 ? escapeSnippetText(ordered[0] ?? '') : choice(stops, ordered);
  }
  switch (info.kind) {
    case 'quantity':
      return placeholder(stops, `1${info.quantity ? quantityKinds[info.quantity].defaultUnit : ''}`);
    case 'boolean':
      return choice(stops, info.defaultValue === true ? ['true', 'false'] : ['false', 'true']);
    case 'number':
      return placeholder(stops, typeof info.defaultValue === 'number' ? String(info.defaultValue) : '0');
    case 'array':
      return `[${placeholder(stops, '')}]`;
    case 'object':
    case 'record':
      return '{}';
    default:
      return typeof info.defaultValue === 'string' ? placeholder(stops, info.defaultValue) : `$${stops.take()}`;
  }
}

function isObjectArray(root: z.core.$ZodType, path: YamlPath, info: SchemaInfo): boolean {
  return info.kind === 'array' && describeAt(root, [...path, 0])?.kind === 'object';
}

/** Lines (relative indent) of the required keys of the object at `path`. */
function requiredBlock(root: z.core.$ZodType, path: YamlPath, stops: TabStops, options: SnippetOptions, depth: number): string[] {
  const info = describeAt(root, path);
  const unit = options.indent ?? '  ';
  const lines: string[] = [];
  for (const key of info?.keys ?? []) {
    if (info?.kind !== 'object') continue;
    const childPath = [...path, key.name];
    const child = describeAt(root, childPath);
    if (!child) continue;
    // A key with a default is written only when asked for: the file is valid without it.
    const needed = key.required && !('defaultValue' in child);
    if (!needed && !options.include?.(path)?.includes(key.name)) continue;
    if (child.kind === 'object' && depth < 4) {
      const inner = requiredBlock(root, childPath, stops, options, depth + 1);
      if (inner.length > 0) {
        lines.push(`${key.name}:`, ...inner.map((l) => `${unit}${l}`));
        continue;
      }
    }
    lines.push(`${key.name}: ${inlineValue(child, childPath, stops, options)}`);
  }
  return lines;
}

/** A snippet for one list item of objects at `path` (e.g. a target): `- ` is not included. */
export function itemSnippet(root: z.core.$ZodType, itemPath: YamlPath, options: SnippetOptions = {}): string {
  const stops = new TabStops();
  const unit = options.indent ?? '  ';
  const lines = requiredBlock(root, itemPath, stops, options, 1);
  if (lines.length === 0) return '$0';
  return lines.map((l, i) => (i === 0 ? l : `${unit}${l}`)).join('\n');
}

/** The snippet that writes `key` (a child of the mapping at `parentPath`) with its required content. */
export function keySnippet(root: z.core.$ZodType, parentPath: YamlPath, key: string, options: SnippetOptions = {}): string {
  const stops = new TabStops();
  const unit = options.indent ?? '  ';
  const path = [...parentPath, key];
  const info = describeAt(root, path);
  if (!info) return `${escapeSnippetText(key)}: $0`;
  if (info.kind === 'object') {
    const block = requiredBlock(root, path, stops, options, 1);
    if (block.length === 0) return `${key}:\n${unit}$0`;
    return [`${key}:`, ...block.map((l) => `${unit}${l}`)].join('\n');
  }
  if (isObjectArray(root, path, info)) {
    const item = requiredBlock(root, [...path, 0], stops, options, 2);
    if (item.length === 0) return `${key}:\n${unit}- $0`;
    return [`${key}:`, ...item.map((l, i) => `${unit}${i === 0 ? '- ' : '  '}${l}`)].join('\n');
  }
  return `${key}: ${inlineValue(info, path, stops, options)}`;
}
