import type { z } from 'zod';
import { pathLabel } from '../../diagnostics/schemaDiagnostics';
import { describeAt, type SchemaInfo } from '../../diagnostics/schemaWalk';
import { quantityKinds, unitList } from '../../quantity/units';
import type { YamlPath } from './yamlCursor';

/** What a value of this schema looks like, in words: `a time (us, ms, s)`, `one of QM, A, B`. */
export function typeLabel(info: SchemaInfo): string {
  switch (info.kind) {
    case 'quantity':
      return info.quantity ? `${quantityKinds[info.quantity].noun} (${unitList(info.quantity)})` : 'a quantity';
    case 'enum':
    case 'literal':
      return `one of ${(info.values ?? []).join(', ')}`;
    case 'object':
      return 'a mapping';
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    default:
      return 'a value';
  }
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json === undefined || json === '[]' || json === '{}' ? undefined : json;
}

/** The doc of the key at `path` (the schema's description) as Markdown; undefined for unknown keys. */
export function keyDocMarkdown(root: z.core.$ZodType, path: YamlPath): string | undefined {
  const info = describeAt(root, path);
  if (!info) return undefined;
  // List items have no doc of their own: show the list's.
  const last = path[path.length - 1];
  const owner = typeof last === 'number' ? describeAt(root, path.slice(0, -1)) : undefined;
  const description = info.description ?? owner?.description;
  const lines = [`**${pathLabel(path)}** — ${typeLabel(info)}${info.required && typeof last !== 'number' ? ', required' : ''}`];
  if (description) lines.push('', description);
  const d = defaultText(info.defaultValue);
  if (d !== undefined) lines.push('', `Default: \`${d}\``);
  if (info.kind === 'object' && info.keys && info.keys.length > 0) {
    lines.push('', `Keys: ${info.keys.map((k) => (k.required ? `\`${k.name}\` (required)` : `\`${k.name}\``)).join(', ')}`);
  }
  return lines.join('\n');
}
