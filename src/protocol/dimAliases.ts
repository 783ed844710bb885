/**
 * Short names for long symbolic dims, so a shape reads `N×3×48×W` instead of
 * `batch_size×3×48×image_width`. Common names get their usual letter (batch N, channels C,
 * height H, width W, sequence S, time T); others their first letter; clashes get a number
 * (`D`, `D2`). Symbols of up to three characters stay as they are. Pure: the webview keeps the
 * map and shows the full name on hover.
 */
const wellKnown: ReadonlyArray<[RegExp, string]> = [
  [/^(n|batch|batch_?size|bs|num_batches)$/i, 'N'],
  [/^(c|channels?|num_channels)$/i, 'C'],
  [/(^|_)(h|height)$/i, 'H'],
  [/(^|_)(w|width)$/i, 'W'],
  [/^(seq|sequence|seq_?len(gth)?|sequence_?length|num_tokens|tokens)$/i, 'S'],
  [/^(t|time|time_?steps?|frames)$/i, 'T'],
];

export const maxUnaliasedLength = 3;

export function dimAliases(symbols: Iterable<string>): Map<string, string> {
  const aliases = new Map<string, string>();
  const taken = new Set<string>();
  const unique = [...new Set(symbols)];
  // Short symbols keep their own name and reserve it.
  for (const s of unique) if (s.length <= maxUnaliasedLength) taken.add(s);
  for (const s of unique) {
    if (s.length <= maxUnaliasedLength) continue;
    const base = wellKnown.find(([pattern]) => pattern.test(s))?.[1] ?? (/[a-z]/i.exec(s)?.[0] ?? 'D').toUpperCase();
    let alias = base;
    for (let k = 2; taken.has(alias); k++) alias = `${base}${k}`;
    taken.add(alias);
    aliases.set(s, alias);
  }
  return aliases;
}

/** Every symbolic dim of the given shapes, in order of first appearance. */
export function symbolsOf(shapes: Iterable<ReadonlyArray<number | string | null> | null>): string[] {
  const seen = new Set<string>();
  for (const shape of shapes) for (const d of shape ?? []) if (typeof d === 'string') seen.add(d);
  return [...seen];
}
