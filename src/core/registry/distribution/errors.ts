/** The first `errors[].code` and `message` of a Distribution error body, if it is one. */
export function distributionError(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (!first) return undefined;
    return [first.code, first.message].filter((s) => typeof s === 'string' && s.length > 0).join(': ');
  } catch {
    return undefined;
  }
}
