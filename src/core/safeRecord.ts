/**
 * Objects keyed by names from files (op types, tensor and input names) must not see
 * Object.prototype: `constructor`, `__proto__` or `toString` are valid ONNX names.
 */

/** A record without a prototype: `record['constructor']` is undefined until set. */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` only when `key` is the record's own property (never an inherited one). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
