/** Semantic Versioning 2.0.0, the official grammar. */
export const semverPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isSemver(text: string): boolean {
  return semverPattern.test(text);
}

/** A likely intended version for common slips: `v1.2.3`, `1.2`, `1`, `01.2.3`, `1.2.3-`, `1.2.3.4`, `1.2.3 beta`. */
export function suggestSemver(text: string): string | undefined {
  const t = text.trim();
  const m = /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(t) ?? /^[vV]?(\d+)\.(\d+)\.(\d+)(?=[-.+ _]|$)/.exec(t);
  if (!m) return undefined;
  const fixed = [m[1], m[2] ?? '0', m[3] ?? '0'].map((n) => String(Number(n))).join('.');
  return isSemver(fixed) ? fixed : undefined;
}
