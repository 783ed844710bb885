import type { Rng } from './rng';

/** Strings that have broken parsers, terminals and pages: controls, prototype keys, markup, huge and odd Unicode. */
export const hostileStrings: readonly string[] = [
  '\x1b]0;PWNED\x07',
  '\x1b[2J\x1b[H',
  '\u009b31m',
  'line\nforged row',
  'cr\roverwrite',
  '\u202eevil\u202c',
  '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
  '\u009d8;;https://evil.example/\u009cOSC8 by C1',
  '\u0085next line',
  're\u200bl\u200du\u00ad\u2060\ufeff',
  '\u{E0069}\u{E0067}\u{E006E}tag smuggling',
  '\u2066isolate\u2069\u061c',
  '\u2028sep',
  '\0nul',
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '</script><script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  "javascript:window.__pwned=1",
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '%s%s%n',
  '\ud800',
  '😀'.repeat(50),
  '',
  ' ',
];

export function hostileString(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(['a', 'x', '\x1b']).repeat(1 + rng.size(2000, 100_000, 0.2));
  const parts = 1 + rng.int(3);
  let s = '';
  for (let i = 0; i < parts; i++) s += rng.pick(hostileStrings);
  return s;
}
