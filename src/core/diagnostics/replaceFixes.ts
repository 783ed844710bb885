import type { Fix, Range } from './types';

/** One quick fix per choice, each replacing `range`; the first is the preferred one unless `preferFirst` is false. */
export function replaceFixes(range: Range, choices: readonly string[], preferFirst = true): Fix[] {
  return choices.map((c, i) => ({ title: `Change to '${c}'`, edits: [{ range, newText: c }], preferred: preferFirst && i === 0 }));
}

/** Semantic checks that need no I/O: catalog, names, versions, budgets, placement. Synchronous. */
