import { dirname, relative, sep } from 'node:path';
import { isInside } from '../workspacePath';

/** How `target` is written in the use-case file at `fromFile`: relative, with forward slashes. */
export function referenceFrom(fromFile: string, target: string): string {
  const rel = relative(dirname(fromFile), target);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** Files of `candidates` inside `workspaceRoot`, written relative to `fromFile`, nearest first. */
export function referencesFrom(fromFile: string, workspaceRoot: string, candidates: readonly string[]): string[] {
  return candidates
    .filter((c) => isInside(workspaceRoot, c))
    .map((c) => referenceFrom(fromFile, c))
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

function depth(reference: string): number {
  return reference.split('/').filter((p) => p === '..').length * 100 + reference.split('/').length;
}

/** The folder part of a partly typed reference (`models/dm` → `models/`), and the part after it. */
export function splitTyped(typed: string): { folder: string; rest: string } {
  const slash = typed.lastIndexOf('/');
  return slash < 0 ? { folder: '', rest: typed } : { folder: typed.slice(0, slash + 1), rest: typed.slice(slash + 1) };
}
