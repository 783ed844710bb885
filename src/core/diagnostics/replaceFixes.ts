import type { Fix, Range } from './types';

/** One quick fix per choice, each replacing `range`; the first is the preferred one. */
export function replaceFixes(range: Range, choices: readonly string[]): Fix[] {
  return choices.map((c, i) => ({ title: `Change to '${c}'`, edits: [{ range, newText: c }], preferred: i === 0 }));
}

/** Semantic checks that need no I/O: catalog, names, versions, budgets, placement. Synchronous. */
