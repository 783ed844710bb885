import type { Dim } from '../model';

/** Product of dims when all are concrete, else undefined. */
export function numel(shape: readonly Dim[] | undefined): number | undefined {
  if (!shape) return undefined;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** Normalises a possibly negative axis; undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

export interface BroadcastResult {
  readonly shape: readonly Dim[] | undefined;
  readonly error?: string;
}

/**
 * Numpy multidirectional broadcasting with symbolic dims: a concrete dim > 1 wins over 1,
 * symbols and unknowns; equal symbols stay; anything else the data decides is unknown.
 */
export function broadcast(shapes: ReadonlyArray<readonly Dim[] | undefined>): BroadcastResult {
  if (shapes.some((s) => s === undefined)) {
    // The rank is still bounded below, but the dims are not known: keep it unknown.
    return { shape: undefined };
  }
  const known = shapes as ReadonlyArray<readonly Dim[]>;
  const rank = Math.max(0, ...known.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let concrete: number | undefined;
    let symbol: string | undefined;
    let unknown = false;
    let conflict = false;
    let allOne = true;
    for (const s of known) {
      const d = s[i - rank + s.length];
      if (i - rank + s.length < 0) continue;
      if (d === 1) continue;
      allOne = false;
      if (typeof d === 'number') {
        if (concrete !== undefined && concrete !== d) return { shape: undefined, error: `cannot broadcast ${fmt(known)}` };
        concrete = d;
      } else if (typeof d === 'string') {
        if (symbol !== undefined && symbol !== d) conflict = true;
        symbol = d;
      } else unknown = true;
    }
    if (allOne) out.push(1);
    else if (concrete !== undefined) out.push(concrete);
    else if (!unknown && !conflict && symbol !== undefined) out.push(symbol);
    else out.push(undefined);
  }
  return { shape: out };
}

export function fmtShape(shape: readonly Dim[] | undefined): string {
  if (!shape) return '?';
  return `[${shape.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`;
}

function fmt(shapes: ReadonlyArray<readonly Dim[]>): string {
  return shapes.map(fmtShape).join(' with ');
}

/** Merges two views of the same dim: a concrete value wins, then a symbol. */
export function mergeDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return a ?? b;
}
