/**
 * Names and doc strings come from untrusted files. They are only ever shown through
 * textContent or fillText; control characters are made visible (U+2400 block) so a name
 * cannot hide text or break a line, and over-long names are cut for drawing.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/** Multi-line variant for doc strings: keeps newlines and tabs, makes the other controls visible. */
export function visibleMultiline(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => visibleText(c));
}

export function ellipsize(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
