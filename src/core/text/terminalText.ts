/**
 * Characters a terminal may act on instead of showing: C0 controls, DEL, C1 controls (U+009B is
 * a CSI in UTF-8 terminals), line and paragraph separators and bidirectional overrides.
 */
export const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, except the newline and tab our own output is made of. */
export const controlsButLayout = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function visibleControl(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
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

/** What JSON.stringify leaves raw although a terminal acts on it (only ever inside strings). */
export const jsonUnsafe = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
