import { z } from 'zod';
import { quantityMetaKey } from '../quantity/schema';
import type { QuantityKind } from '../quantity/units';

/**
 * Reads a zod schema the way an editor needs it: what is expected at a YAML path, its doc
 * text, its keys, enum values and quantity kind. Used by diagnostics, completion and hover.
 */

type AnySchema = z.core.$ZodType;

interface LooseDef {
  readonly type: string;
  readonly innerType?: AnySchema;
  readonly in?: AnySchema;
  readonly shape?: Record<string, AnySchema>;
  readonly element?: AnySchema;
  readonly keyType?: AnySchema;
  readonly valueType?: AnySchema;
  readonly options?: readonly AnySchema[];
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly defaultValue?: unknown;
}

function defOf(schema: AnySchema): LooseDef {
  return schema._zod.def as unknown as LooseDef;
}

export type SchemaKind = 'object' | 'array' | 'record' | 'string' | 'number' | 'boolean' | 'enum' | 'literal' | 'quantity' | 'union' | 'unknown';

export interface KeyInfo {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  readonly kind: SchemaKind;
  readonly quantity?: QuantityKind;
  readonly values?: readonly string[];
}

export interface SchemaInfo {
  readonly kind: SchemaKind;
  readonly description?: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  /** Object keys (or the allowed keys of a record with an enum key). */
  readonly keys?: readonly KeyInfo[];
  /** Allowed values of an enum or literal. */
  readonly values?: readonly string[];
  readonly quantity?: QuantityKind;
  /** The unwrapped zod schema, for callers that need more. */
  readonly schema: AnySchema;
}

const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function metaOf(schema: AnySchema): Record<string, unknown> | undefined {
  return z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
}

/** Strips optional/default/pipe wrappers, collecting doc text, quantity kind, default and optionality. */
export function unwrap(schema: AnySchema): { inner: AnySchema; description?: string; quantity?: QuantityKind; defaultValue?: unknown; optional: boolean } {
  let current = schema;
  let description: string | undefined;
  let quantity: QuantityKind | undefined;
  let defaultValue: unknown;
  let hasDefault = false;
  const optional = schema._zod.optin === 'optional';
  for (let depth = 0; depth < 20; depth++) {
    const meta = metaOf(current);
    if (description === undefined && typeof meta?.['description'] === 'string') description = meta['description'];
    if (quantity === undefined && typeof meta?.[quantityMetaKey] === 'string') quantity = meta[quantityMetaKey] as QuantityKind;
    const def = defOf(current);
    if (def.type === 'default' && !hasDefault) {
      hasDefault = true;
      defaultValue = typeof def.defaultValue === 'function' ? undefined : def.defaultValue;
    }
    if (wrappers.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return {
    inner: current,
    ...(description !== undefined ? { description } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(hasDefault ? { defaultValue } : {}),
    optional,
  };
}

function kindOf(inner: AnySchema, quantity: QuantityKind | undefined): SchemaKind {
  if (quantity) return 'quantity';
  const t = defOf(inner).type;
  switch (t) {
    case 'object':
    case 'array':
    case 'record':
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'union':
      return t;
    case 'int':
      return 'number';
    default:
      return 'unknown';
  }
}

function enumValues(inner: AnySchema): string[] | undefined {
  const def = defOf(inner);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries).map(String);
  if (def.type === 'literal' && def.values) return def.values.map(String);
  return undefined;
}

export function describeSchema(schema: AnySchema): SchemaInfo {
  const u = unwrap(schema);
  const def = defOf(u.inner);
  const kind = kindOf(u.inner, u.quantity);
  let keys: KeyInfo[] | undefined;
  if (def.type === 'object' && def.shape) {
    keys = Object.entries(def.shape).map(([name, child]) => {
      const cu = unwrap(child);
      const values = enumValues(cu.inner);
      return {
        name,
        required: !cu.optional,
        kind: kindOf(cu.inner, cu.quantity),
        ...(cu.description !== undefined ? { description: cu.description } : {}),
        ...(cu.quantity ? { quantity: cu.quantity } : {}),
        ...(values ? { values } : {}),
      };
    });
  } else if (def.type === 'record' && def.keyType && def.valueType) {
    const allowed = enumValues(unwrap(def.keyType).inner);
    const vu = unwrap(def.valueType);
    if (allowed) keys = allowed.map((name) => ({ name, required: false, kind: kindOf(vu.inner, vu.quantity), ...(vu.description !== undefined ? { description: vu.description } : {}) }));
  }
  const values = enumValues(u.inner);
  return {
    kind,
    required: !u.optional,
    schema: u.inner,
    ...(u.description !== undefined ? { description: u.description } : {}),
    ...('defaultValue' in u ? { defaultValue: u.defaultValue } : {}),
    ...(keys ? { keys } : {}),
    ...(values ? { values } : {}),
    ...(u.quantity ? { quantity: u.quantity } : {}),
  };
}

/** The schema expected at `path` below `root`, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: ReadonlyArray<PropertyKey>): AnySchema | undefined {
  let current: AnySchema | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    current = childSchema(current, segment);
  }
  return current;
}

function childSchema(schema: AnySchema, segment: PropertyKey): AnySchema | undefined {
  const inner = unwrap(schema).inner;
  const def = defOf(inner);
  if (def.type === 'object' && def.shape && typeof segment === 'string') return def.shape[segment];
  if (def.type === 'array' && def.element && typeof segment === 'number') return def.element;
  if (def.type === 'record' && def.valueType && typeof segment === 'string') return def.valueType;
  if (def.type === 'union' && def.options) {
    for (const option of def.options) {
      const child = childSchema(option, segment);
      if (child) return child;
    }
  }
  return undefined;
}

export function describeAt(root: AnySchema, path: ReadonlyArray<PropertyKey>): SchemaInfo | undefined {
  const s = schemaAt(root, path);
  return s ? describeSchema(s) : undefined;
}
