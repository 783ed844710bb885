import { lookupUnit, quantityKinds, unitAlias, unitList, type QuantityKind, type UnitInfo } from './units';

export interface Quantity {
  readonly kind: QuantityKind;
  /** Value in the SI base of the kind (seconds, bytes, watts, bit/s, Hz, J, ops/s). */
  readonly value: number;
  /** The number as written, before conversion. */
  readonly magnitude: number;
  /** The unit as written. */
  readonly unit: string;
}

export interface QuantityError {
  readonly message: string;
  /** A replacement text that fixes the value, when one is obvious (e.g. `8ms` for `8`). */
  readonly suggestion?: string;
  readonly reason: 'noUnit' | 'unknownUnit' | 'wrongKind' | 'malformed' | 'negative' | 'notFinite';
}

export type QuantityResult = { readonly ok: true; readonly quantity: Quantity } | { readonly ok: false; readonly error: QuantityError };

// Same grammar as quantityPatternSource (what the JSON Schema accepts), plus a sign so a negative value gets its own message.
const quantityPattern = /^(-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?) ?([A-Za-zµμ][A-Za-z/]*)?$/;

/** The source text of the JSON Schema `pattern` for a quantity of `kind`. */
export function quantityPatternSource(kind: QuantityKind): string {
  const units = quantityKinds[kind].units.map((u) => u.unit.replace(/\//g, '\\/')).join('|');
  return `^(\\d+(\\.\\d+)?|\\.\\d+)([eE][+-]?\\d+)? ?(${units})$`;
}

function describeInput(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input) ?? String(input);
}

/**
 * Parses "8ms", "1.5 W", "64MiB", "20Mbit/s" (one optional space before the unit).
 * With `expected`, a quantity of another kind is an error that names both kinds.
 * Numbers (YAML `8`) are accepted as input so the error can offer the fix `8ms`.
 */
export function parseQuantity(input: unknown, expected?: QuantityKind): QuantityResult {
  const expectedInfo = expected ? quantityKinds[expected] : undefined;
  const hint = expectedInfo ? ` (${expectedInfo.noun.replace(/^an? /, '')} units: ${unitList(expectedInfo.kind)})` : '';
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('notFinite', `'${describeInput(input)}' is not a finite number${hint}`);
    const suggestion = expectedInfo ? `${input}${expectedInfo.defaultUnit}` : undefined;
    return fail(
      'noUnit',
      `'${input}' has no unit: write ${suggestion ?? `${input} followed by a unit`}${hint}`,
      suggestion,
    );
  }
  if (typeof input !== 'string') {
    return fail('malformed', `expected ${expectedInfo?.noun ?? 'a quantity'} such as ${example(expected)}, got ${typeOf(input)}`);
  }
  const match = quantityPattern.exec(input);
  if (!match) {
    // `1,5W` (decimal comma), `8  ms`, ` 8 ms `: the quantity is there, the spelling is off.
    const respelled = input.replace(/^\s+|\s+$/g, '').replace(/^(-?\d+),(\d+)/, '$1.$2').replace(/(\d)\s+([A-Za-z])/, '$1$2');
    if (respelled !== input && quantityPattern.test(respelled)) {
      const again = parseQuantity(respelled, expected);
      const fixed = again.ok ? respelled : again.error.suggestion;
      if (fixed !== undefined) return fail('malformed', `'${input}' is not written as a quantity: write ${fixed}${hint}`, fixed);
    }
    return fail('malformed', `'${input}' is not ${expectedInfo?.noun ?? 'a quantity'}: write a number and a unit, e.g. ${example(expected)}${hint}`);
  }
  const magnitude = Number(match[1]);
  const unit = match[2];
  if (!Number.isFinite(magnitude)) return fail('notFinite', `'${input}' is too large a number${hint}`);
  if (unit === undefined) {
    const suggestion = expectedInfo ? `${match[1]}${expectedInfo.defaultUnit}` : undefined;
    return fail('noUnit', `'${input.trim()}' has no unit: write ${suggestion ?? `${match[1]} followed by a unit`}${hint}`, suggestion);
  }
  const alias = unitAlias(unit);
  if (alias) {
    const fixed = `${Number((magnitude * alias.times).toPrecision(12))}${alias.unit}`;
    if (expected && alias.kind !== expected) return fail('wrongKind', `'${input}' is ${alias.kind}, expected ${quantityKinds[expected].noun}${hint}`);
    return fail('unknownUnit', `'${input}': '${unit}' is not a unit of this format: write ${fixed}${hint}`, fixed);
  }
  const found = lookupUnit(unit);
  if (found && expected === 'memory' && found.kind === 'memory' && /^[KMG]b$/.test(unit)) {
    const fixed = `${match[1]}${found.info.unit}`;
    const prefix = unit[0] === 'K' ? 'kilo' : unit[0] === 'M' ? 'mega' : 'giga';
    return fail('unknownUnit', `'${input}': '${unit}' means ${prefix}bits; memory sizes are in bytes: write ${fixed} (or ${match[1]}${unit[0] ?? ''}iB)${hint}`, fixed);
  }
  if (!found) {
    return fail('unknownUnit', `'${input}': unknown unit '${unit}'${hint || ` (units: ${allUnits()})`}`);
  }
  if (found.info.unit !== unit) {
    const fixed = `${match[1]}${found.info.unit}`;
    return fail('unknownUnit', `'${input}': unknown unit '${unit}', did you mean '${found.info.unit}'?${hint}`, fixed);
  }
  if (expected && found.kind !== expected) {
    return fail('wrongKind', `'${input}' is ${found.kind}, expected ${quantityKinds[expected].noun}${hint}`);
  }
  if (match[1]?.startsWith('-')) {
    const positive = `${match[1].slice(1)}${unit}`;
    return fail('negative', `'${input}' is negative: ${quantityKinds[found.kind].noun} cannot be below zero (write ${positive})`, positive);
  }
  return { ok: true, quantity: { kind: found.kind, value: magnitude * found.info.factor, magnitude, unit } };
}

/** Formats an SI value with the largest unit of `kind` that keeps the number >= 1 (or `unit` if given). */
export function formatQuantity(kind: QuantityKind, value: number, unit?: string): string {
  const chosen = unit !== undefined ? quantityKinds[kind].units.find((u) => u.unit === unit) : undefined;
  return formatIn(kind, value, chosen ? [chosen] : preferredUnits(kind));
}

/**
 * Like formatQuantity, in the unit family `statedUnit` belongs to: memory stated in KB/MB/GB prints
 * in decimal units (a 16GB part shows 16GB, not 14.9GiB), memory stated in binary units as before.
 */
export function formatQuantityLike(kind: QuantityKind, value: number, statedUnit: string): string {
  if (kind !== 'memory' || !isDecimalMemoryUnit(statedUnit)) return formatQuantity(kind, value);
  return formatIn(kind, value, quantityKinds.memory.units.filter((u) => u.unit === 'B' || isDecimalMemoryUnit(u.unit)));
}

function formatIn(kind: QuantityKind, value: number, units: readonly UnitInfo[]): string {
  const chosen = [...units].reverse().find((u) => Math.abs(value) >= u.factor) ?? units[0];
  if (!chosen) return `${value}${quantityKinds[kind].baseUnit}`;
  const n = value / chosen.factor;
  return `${Number(n.toPrecision(4))}${chosen.unit}`;
}

function isDecimalMemoryUnit(unit: string): boolean {
  return /^[KMG]B$/.test(unit);
}

/** Binary prefixes for memory, byte rates excluded for bandwidth: the units we print by default. */
function preferredUnits(kind: QuantityKind) {
  const units = quantityKinds[kind].units;
  if (kind === 'memory') return units.filter((u) => !isDecimalMemoryUnit(u.unit));
  if (kind === 'bandwidth') return units.filter((u) => u.unit.includes('bit'));
  if (kind === 'compute') return units.filter((u) => u.unit.endsWith('OPS') && !u.unit.includes('FL'));
  return units;
}

function example(kind: QuantityKind | undefined): string {
  switch (kind) {
    case 'time':
      return '8ms';
    case 'memory':
      return '64MiB';
    case 'power':
      return '1.5W';
    case 'bandwidth':
      return '20Mbit/s';
    case 'frequency':
      return '1.8GHz';
    case 'energy':
      return '0.5pJ';
    case 'compute':
      return '30TOPS';
    default:
      return '8ms or 64MiB';
  }
}

function allUnits(): string {
  return Object.values(quantityKinds)
    .map((k) => `${k.kind}: ${unitList(k.kind)}`)
    .join('; ');
}

function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${describeInput(input)}`;
}

function fail(reason: QuantityError['reason'], message: string, suggestion?: string): QuantityResult {
  return { ok: false, error: suggestion === undefined ? { reason, message } : { reason, message, suggestion } };
}
