import type { Tensor } from '../model';
import { bitsPerElement, elementDecoder } from '../tensorElements';

/** How much a weight changed between two models (same dtype and shape). */
export interface WeightDelta {
  /** Largest |b - a| over the elements where both values are finite. */
  readonly maxAbsDiff: number;
  /** ||b - a||₂ / ||a||₂; null when the base weight is all zero (no scale to relate to). */
  readonly relativeL2: number | null;
  /** Element pairs where either value is NaN or infinite (left out of both figures). */
  readonly nonFinite: number;
}

/**
 * Compares two numeric weights element by element; undefined for types without numeric
 * values (strings, complex) or when either payload is shorter than its shape needs.
 */
export async function weightDelta(a: Tensor, b: Tensor, signal?: AbortSignal): Promise<WeightDelta | undefined> {
  const bits = bitsPerElement[a.dataType];
  if (bits === undefined || a.dataType !== b.dataType) return undefined;
  const count = a.dims.reduce((x, y) => x * y, 1);
  if (count !== b.dims.reduce((x, y) => x * y, 1)) return undefined;
  const [bytesA, bytesB] = [await a.data.read(signal), await b.data.read(signal)];
  if (bytesA.byteLength * 8 < count * bits || bytesB.byteLength * 8 < count * bits) return undefined;
  const readA = elementDecoder(a.dataType, bytesA);
  const readB = elementDecoder(b.dataType, bytesB);
  if (!readA || !readB) return undefined;
  let maxAbsDiff = 0;
  let errorSq = 0;
  let baseSq = 0;
  let nonFinite = 0;
  for (let i = 0; i < count; i++) {
    const va = readA(i);
    const vb = readB(i);
    if (!Number.isFinite(va) || !Number.isFinite(vb)) {
      nonFinite++;
      continue;
    }
    const d = Math.abs(vb - va);
    if (d > maxAbsDiff) maxAbsDiff = d;
    errorSq += d * d;
    baseSq += va * va;
  }
  signal?.throwIfAborted();
  return { maxAbsDiff, relativeL2: baseSq > 0 ? Math.sqrt(errorSq / baseSq) : null, nonFinite };
}
