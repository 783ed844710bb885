/**
 * The brackets of YAML flow collections, matched the way a reader of the file sees them, so the
 * syntax layer can say "this '}' closes a '['" or "these brackets nest 3,000 deep" where the
 * `yaml` library reports the same mistake as several messages elsewhere, or overflows its stack.
 * A scan of the text, not a parser: it follows block context only far enough to find where
 * values start (a '[' inside a plain scalar such as `x[0]` is not a bracket), skips quoted
 * scalars and comments, and stops at the first problem.
 */
export interface FlowBracketProblem {
  readonly kind: 'mismatch' | 'tooDeep';
  /** Offset of the outermost bracket of the flow collection the problem is in. */
  readonly outermost: number;
  /** The opener the closer should have matched (mismatch), or the one past the depth limit. */
  readonly opener: number;
  /** The wrong closer (mismatch only). */
  readonly closer?: number;
  /** The wrong closer does close the collection around the opener: the opener's closer is missing. */
  readonly closesOuter?: boolean;
}

export const maxFlowDepth = 64;

const closerOf: Record<string, string> = { '[': ']', '{': '}' };

export function findFlowBracketProblem(text: string): FlowBracketProblem | undefined {
  const stack: number[] = [];
  let i = 0;
  /** In block context: whether the next non-space character starts a value (line start, after ': ' or '- '). */
  let valueStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i] ?? '';
    if (stack.length === 0) {
      if (c === '\n') {
        valueStart = true;
        i++;
      } else if (c === ' ' || c === '\t') {
        i++;
      } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
        i = lineEnd(text, i);
      } else if (valueStart && (c === '[' || c === '{')) {
        stack.push(i);
        i++;
      } else if (valueStart && (c === '"' || c === "'")) {
        i = afterQuoted(text, i);
        valueStart = false;
      } else if (valueStart && c === '-' && /[ \t\n]/.test(text[i + 1] ?? '\n')) {
        i++;
      } else if (valueStart && (c === '|' || c === '>')) {
        i = afterBlockScalar(text, i);
        valueStart = true;
      } else {
        // A key or a plain scalar: a value starts after ': ', a comment after ' #'.
        while (i < n && text[i] !== '\n') {
          if (text[i] === ':' && /[ \t\n]/.test(text[i + 1] ?? '\n')) {
            i++;
            valueStart = true;
            break;
          }
          if (text[i] === '#' && /[ \t]/.test(text[i - 1] ?? '')) {
            i = lineEnd(text, i);
            break;
          }
          valueStart = false;
          i++;
        }
      }
      continue;
    }
    // Flow context: every bracket outside quotes is structure.
    if (c === '[' || c === '{') {
      stack.push(i);
      if (stack.length > maxFlowDepth) return { kind: 'tooDeep', outermost: stack[0] ?? i, opener: i };
      i++;
    } else if (c === ']' || c === '}') {
      const opener = stack.pop() ?? i;
      if (closerOf[text[opener] ?? ''] !== c) {
        const outer = stack[stack.length - 1];
        return { kind: 'mismatch', outermost: stack[0] ?? opener, opener, closer: i, closesOuter: outer !== undefined && closerOf[text[outer] ?? ''] === c };
      }
      i++;
      if (stack.length === 0) valueStart = false;
    } else if ((c === '"' || c === "'") && itemStart(text, i)) {
      i = afterQuoted(text, i);
    } else if (c === '#' && /\s/.test(text[i - 1] ?? '')) {
      i = lineEnd(text, i);
    } else {
      i++;
    }
  }
  return undefined;
}

/** Offset of the first line after a block scalar (`|` or `>`): its lines are indented deeper than the line it starts on. */
function afterBlockScalar(text: string, at: number): number {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let indent = 0;
  while (text[start + indent] === ' ') indent++;
  let i = lineEnd(text, at);
  while (i < text.length) {
    const next = i + 1;
    let spaces = 0;
    while (text[next + spaces] === ' ') spaces++;
    const blank = next + spaces >= text.length || text[next + spaces] === '\n';
    if (!blank && spaces <= indent) return next;
    i = lineEnd(text, next);
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Whether a quote at `at` (in flow context) starts a quoted scalar rather than sitting inside a plain one. */
function itemStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
  if (i < 0 || /[[{,]/.test(text[i] ?? '')) return true;
  // After ':' only as a value: `key: "v"`, or JSON style `"key":"v"`; `key:"v` is one plain scalar.
  return text[i] === ':' && (i < at - 1 || text[i - 1] === '"' || text[i - 1] === "'");
}

/** Offset after the quoted scalar starting at `at` (or the text end when it never closes). */
function afterQuoted(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}
