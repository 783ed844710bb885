/**
 * Node-name globs of `quantization.keepFloat`: `*` matches any run of characters (slashes
 * included, so `/head/*` covers every node under /head), `?` one character, `[abc]` / `[a-z]`
 * a class, `[!abc]` its complement. Matching never backtracks more than one `*` at a time, so a
 * glob like `*a*a*a*a*b` against a long name costs at most (glob length × name length) steps,
 * unlike a regular expression, whose backtracking grows exponentially with the stars.
 */

type Token =
  | { readonly kind: 'char'; readonly c: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [string, string]> };

export interface GlobMatcher {
  /** Whether the whole of `name` matches the glob. */
  test(name: string): boolean;
}

function parse(glob: string): Token[] {
  const tokens: Token[] = [];
  // Code points, so a class or `?` never splits a surrogate pair.
  const chars = [...glob];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      let j = i + 1;
      const negated = chars[j] === '!';
      if (negated) j++;
      const start = j;
      // A ']' right after '[' or '[!' is a member, as in shell globs.
      while (j < chars.length && (chars[j] !== ']' || j === start)) j++;
      if (j >= chars.length) throw new Error(`'[' at position ${i + 1} has no closing ']'`);
      const body = chars.slice(start, j);
      const ranges: Array<[string, string]> = [];
      for (let k = 0; k < body.length; k++) {
        const from = body[k]!;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          const to = body[k + 2]!;
          if (to < from) throw new Error(`range '${from}-${to}' at position ${i + 1} is reversed`);
          ranges.push([from, to]);
          k += 2;
        } else ranges.push([from, from]);
      }
      tokens.push({ kind: 'class', negated, ranges });
      i = j;
    } else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

function matchesOne(token: Token, c: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.c === c;
    case 'any':
      return true;
    case 'class':
      return token.ranges.some(([from, to]) => c >= from && c <= to) !== token.negated;
    case 'star':
      return false;
  }
}

/**
 * The classic two-pointer wildcard match: on a mismatch, resume after the last `*` one character
 * further on. Correct for globs because a `*` can absorb anything the earlier stars did not.
 */
function matchTokens(tokens: readonly Token[], name: readonly string[]): boolean {
  let t = 0;
  let n = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      starAt = t++;
      resumeAt = n;
    } else if (token !== undefined && matchesOne(token, name[n]!)) {
      t++;
      n++;
    } else if (starAt >= 0) {
      t = starAt + 1;
      n = ++resumeAt;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/** Compiles `glob`; throws an Error saying what is wrong when it is malformed (see globProblem). */
export function compileGlob(glob: string): GlobMatcher {
  const tokens = parse(glob);
  return { test: (name) => matchTokens(tokens, [...name]) };
}

export function globProblem(glob: string): string | undefined {
  try {
    parse(glob);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
