/** One `WWW-Authenticate` challenge: its scheme (lower case) and parameters (names lower case). */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235): one or more challenges, each a scheme
 * followed by comma-separated `name=value` or `name="quoted \" value"` parameters.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const skip = (chars: string) => {
    while (i < header.length && chars.includes(header[i]!)) i++;
  };
  const token = () => {
    const start = i;
    while (i < header.length && !' \t,="'.includes(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(' \t,');
    const word = token();
    if (word === '') {
      i++;
      continue;
    }
    skip(' \t');
    if (header[i] === '=' && challenges.length > 0) {
      i++;
      skip(' \t');
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i];
          i++;
        }
        i++;
      } else value = token();
      challenges[challenges.length - 1]!.params[word.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: word.toLowerCase(), params: {} });
    }
  }
  return challenges;
}
