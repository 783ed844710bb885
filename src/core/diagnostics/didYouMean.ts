/** Edit distance with transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return a === b ? 0 : 0.5;
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min((d[(i - 1) * cols + j] ?? 0) + 1, (d[i * cols + j - 1] ?? 0) + 1, (d[(i - 1) * cols + j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

/**
 * Candidates close enough to `input` to suggest, nearest first. "Close enough" grows with the
 * length of the word; a candidate containing the input (or the reverse) also counts.
 */
export function nearest(input: string, candidates: Iterable<string>, max = 3): string[] {
  if (input.length > 200) return [];
  const scored: Array<{ c: string; d: number; raw: number }> = [];
  const lower = input.toLowerCase();
  for (const c of candidates) {
    if (c === input) continue;
    const d = editDistance(input, c);
    const limit = Math.max(2, Math.floor(Math.max(input.length, c.length) / 3));
    const other = c.toLowerCase();
    // Containment counts only for words of three letters or more on both sides (`Or` is not in `BatchNorm`).
    const contains = (lower.length >= 3 && other.length >= 3 && (other.includes(lower) || lower.includes(other))) || sameWords(lower, other);
    // Nothing in common (`no` vs `QM`) is no suggestion, however short the words.
    if (!contains && d >= Math.max(input.length, c.length)) continue;
    if (d <= limit || contains) scored.push({ c, d: contains ? Math.min(d, limit) : d, raw: d });
  }
  return scored
    .sort((x, y) => x.d - y.d || x.raw - y.raw || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((s) => s.c);
}

const wordSplit = /[-_./\s]+/;

/** Every word of a compound id is a word of the candidate: `nvidia-orin` for `nvidia-drive-orin`. */
function sameWords(input: string, candidate: string): boolean {
  const words = input.split(wordSplit).filter((w) => w.length > 0);
  if (words.length < 2) return false;
  const theirs = new Set(candidate.split(wordSplit));
  return words.every((w) => theirs.has(w));
}
