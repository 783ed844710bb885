/**
 * Characters a terminal may act on instead of showing: C0 controls, DEL, C1 controls (U+009B is
 * a CSI in UTF-8 terminals), line and paragraph separators and bidirectional overrides; and the
 * invisible ones that make a name look like another or hide text in it: soft hyphen, zero-width
 * space/joiners, word joiner and invisible operators, BOM, interlinear annotations and the tag
 * characters U+E0000-U+E007F (a surrogate pair each, matched as one).
 */
const invisible = '\\u00ad\\u180e\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\u061c\\ufeff\\ufff9-\\ufffb';
const tagCharacter = '\\udb40[\\udc00-\\udc7f]';
export const controlCharacters = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${invisible}]|${tagCharacter}`, 'g');
/** The same, except the newline and tab our own output is made of. */
export const controlsButLayout = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${invisible}]|${tagCharacter}`, 'g');

export function visibleControl(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  if (code > 0xffff) return `\\u{${code.toString(16)}}`;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A value from a file or the file system (a name, op type, producer, path) made safe to print
 * on a terminal: every control character, newline included, is shown escaped (`\x1b`, `\n`),
 * so it can neither drive the terminal nor forge a line of output.
 */
export function terminalText(value: string): string {
  return value.replace(controlCharacters, visibleControl);
}

/** What JSON.stringify leaves raw although a terminal acts on it or hides (only ever inside strings). */
export const jsonUnsafe = new RegExp(`[\\u007f-\\u009f${invisible}]|${tagCharacter}`, 'g');

/** `c` (one match of jsonUnsafe) as JSON escapes of its UTF-16 code units: the same JSON value. */
export function jsonEscape(c: string): string {
  return Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}
