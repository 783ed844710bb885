/**
 * The language of `dataLoop.triggers[].when` (SPEC §1): a condition on the model's outputs,
 * e.g. `gaze.confidence < 0.4` or `max(scores.pedestrian) > 0.9 and speed > 3`.
 *
 *   condition  := or
 *   or         := and ( ('or' | '||') and )*
 *   and        := not ( ('and' | '&&') not )*
 *   not        := ('not' | '!') not | comparison
 *   comparison := sum ( ('<' | '<=' | '>' | '>=' | '==' | '!=') sum )?
 *   sum        := product ( ('+' | '-') product )*
 *   product    := unary ( ('*' | '/') unary )*
 *   unary      := '-' unary | primary
 *   primary    := number | function '(' condition (',' condition)* ')' | reference | '(' condition ')'
 *   reference  := name ( '.' name | '[' index ']' )?
 *
 * A name is letters, digits and `_`, or any text in backquotes (`` `present.0.key` ``). A
 * reference is an output of the model, optionally one element along its last axis, by label
 * (`gaze.confidence`, labels from the use case's `model.outputs[].labels`) or by index (`gaze[2]`).
 * Spans are offsets into the expression text, end exclusive.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Selector = ({ readonly kind: 'label'; readonly name: string } | { readonly kind: 'index'; readonly index: number }) & { readonly span: Span };

export type TriggerExpr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'ref'; readonly output: string; readonly outputSpan: Span; readonly selector?: Selector; readonly span: Span }
  | { readonly kind: 'call'; readonly fn: string; readonly nameSpan: Span; readonly args: readonly TriggerExpr[]; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: TriggerExpr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: TriggerExpr; readonly right: TriggerExpr; readonly span: Span };

export const comparisonOps = ['<', '<=', '>', '>=', '==', '!='] as const;
export type BinaryOp = (typeof comparisonOps)[number] | '+' | '-' | '*' | '/' | 'and' | 'or';

/** Functions of the language: elementwise, or reducing a tensor to one value. */
export const triggerFunctions = {
  abs: 'absolute value, element by element',
  min: 'the smallest element of one output (or of several values)',
  max: 'the largest element of one output (or of several values)',
  mean: 'the mean of the elements',
  sum: 'the sum of the elements',
  argmax: 'the index of the largest element (e.g. the winning class)',
} as const;
export type TriggerFunction = keyof typeof triggerFunctions;

export class TriggerSyntaxError extends Error {
  override readonly name = 'TriggerSyntaxError';
  constructor(message: string, readonly span: Span) {
    super(message);
  }
}

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'name'; readonly value: string; readonly quoted: boolean; readonly span: Span }
  | { readonly kind: 'op'; readonly value: string; readonly span: Span }
  | { readonly kind: 'end'; readonly span: Span };

const operators = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '(', ')', '[', ']', ',', '.'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    // `.5` is a number, but `gaze.5` is not a label: a dot right after a name or `]` is a selector.
    const previous = tokens[tokens.length - 1];
    const afterName = previous !== undefined && (previous.kind === 'name' || (previous.kind === 'op' && previous.value === ']'));
    if (number && !(c === '.' && afterName)) {
      tokens.push({ kind: 'number', value: Number(number[0]), span: { start: i, end: i + number[0].length } });
      i += number[0].length;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new TriggerSyntaxError('a backquoted name is not closed: add the closing `', { start: i, end: text.length });
      if (close === i + 1) throw new TriggerSyntaxError('empty backquoted name', { start: i, end: close + 1 });
      tokens.push({ kind: 'name', value: text.slice(i + 1, close), quoted: true, span: { start: i, end: close + 1 } });
      i = close + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], quoted: false, span: { start: i, end: i + name[0].length } });
      i += name[0].length;
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, span: { start: i, end: i + op.length } });
      i += op.length;
      continue;
    }
    const hint = c === '=' ? " (compare with '==')" : c === '"' || c === "'" ? ' (quote output names with backquotes: `name`)' : '';
    throw new TriggerSyntaxError(`unexpected character '${c}'${hint}`, { start: i, end: i + 1 });
  }
  tokens.push({ kind: 'end', span: { start: text.length, end: text.length } });
  return tokens;
}

const wordOps: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

/**
 * Limits that keep parsing and every walk of the tree (checks, evaluation) far from the call
 * stack's end: a condition is one line, and 10,000 nested '(' or 5,000 chained 'and's overflowed it.
 */
export const MAX_TRIGGER_TOKENS = 1000;
export const MAX_TRIGGER_NESTING = 64;

/** Parses a trigger condition; throws TriggerSyntaxError with the span of the problem. */
export function parseTrigger(text: string): TriggerExpr {
  const tokens = tokenize(text);
  // The last token is the end marker.
  if (tokens.length - 1 > MAX_TRIGGER_TOKENS) {
    throw new TriggerSyntaxError(`the condition is ${tokens.length - 1} tokens long; at most ${MAX_TRIGGER_TOKENS} are allowed: split it into several triggers`, { start: tokens[MAX_TRIGGER_TOKENS]!.span.start, end: text.length });
  }
  let pos = 0;
  let depth = 0;
  /** Runs `inner` one nesting level deeper ('(', a call, a unary '-' or 'not'). */
  const nested = <T>(at: Token, inner: () => T): T => {
    if (++depth > MAX_TRIGGER_NESTING) throw new TriggerSyntaxError(`the condition nests more than ${MAX_TRIGGER_NESTING} levels deep: simplify it`, at.span);
    try {
      return inner();
    } finally {
      depth--;
    }
  };
  const peek = (): Token => tokens[pos]!;
  const isOp = (t: Token, ...ops: string[]): boolean =>
    (t.kind === 'op' && ops.includes(t.value)) || (t.kind === 'name' && !t.quoted && wordOps[t.value] !== undefined && ops.includes(wordOps[t.value]!));
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end' : t.kind === 'number' ? `number ${t.value}` : `'${t.kind === 'name' && t.quoted ? `\`${t.value}\`` : t.value}'`);
  const expect = (op: string, what: string): Token => {
    const t = peek();
    if (!isOp(t, op)) throw new TriggerSyntaxError(`expected ${what}, found ${describe(t)}`, t.span);
    pos++;
    return t;
  };
  const join = (a: Span, b: Span): Span => ({ start: a.start, end: b.end });

  const binaryLevel = (next: () => TriggerExpr, ops: readonly string[], name: (op: string) => BinaryOp): (() => TriggerExpr) => () => {
    let left = next();
    while (isOp(peek(), ...ops)) {
      const t = peek();
      pos++;
      const right = next();
      const op = t.kind === 'op' ? t.value : wordOps[t.kind === 'name' ? t.value : ''] ?? '';
      left = { kind: 'binary', op: name(op), left, right, span: join(left.span, right.span) };
    }
    return left;
  };
  const logical = (op: string): BinaryOp => (op === '&&' ? 'and' : 'or');
  const arithmetic = (op: string): BinaryOp => op as BinaryOp;

  const primary = (): TriggerExpr => {
    const t = peek();
    if (t.kind === 'number') {
      pos++;
      return { kind: 'number', value: t.value, span: t.span };
    }
    if (isOp(t, '(')) {
      pos++;
      const inner = nested(t, condition);
      const close = expect(')', "')'");
      return { ...inner, span: join(t.span, close.span) } as TriggerExpr;
    }
    if (t.kind === 'name' && !(wordOps[t.value] !== undefined && !t.quoted)) {
      pos++;
      if (!t.quoted && isOp(peek(), '(')) {
        pos++;
        const args = [nested(t, condition)];
        while (isOp(peek(), ',')) {
          pos++;
          args.push(nested(t, condition));
        }
        const close = expect(')', "',' or ')'");
        return { kind: 'call', fn: t.value, nameSpan: t.span, args, span: join(t.span, close.span) };
      }
      let selector: Selector | undefined;
      if (isOp(peek(), '.')) {
        const dot = peek();
        pos++;
        const label = peek();
        if (label.kind !== 'name') throw new TriggerSyntaxError(`expected an element label after '${t.value}.', found ${describe(label)}`, label.kind === 'end' ? dot.span : label.span);
        pos++;
        selector = { kind: 'label', name: label.value, span: label.span };
      } else if (isOp(peek(), '[')) {
        const open = peek();
        pos++;
        const index = peek();
        if (index.kind !== 'number' || !Number.isInteger(index.value)) throw new TriggerSyntaxError(`expected an element index (0, 1, …) inside '[ ]', found ${describe(index)}`, index.span);
        pos++;
        const close = expect(']', "']'");
        selector = { kind: 'index', index: index.value, span: join(open.span, close.span) };
      }
      if (isOp(peek(), '.', '[')) throw new TriggerSyntaxError('a reference selects at most one element along the last axis (e.g. gaze.confidence or gaze[2])', peek().span);
      return { kind: 'ref', output: t.value, outputSpan: t.span, ...(selector ? { selector } : {}), span: join(t.span, selector?.span ?? t.span) };
    }
    throw new TriggerSyntaxError(t.kind === 'end' ? 'the condition ends too early: a value is missing' : `expected an output name, a number or '(', found ${describe(t)}`, t.span);
  };
  const unary = (): TriggerExpr => {
    const t = peek();
    if (isOp(t, '-')) {
      pos++;
      const operand = nested(t, unary);
      return { kind: 'unary', op: '-', operand, span: join(t.span, operand.span) };
    }
    return primary();
  };
  const product = binaryLevel(unary, ['*', '/'], arithmetic);
  const sum = binaryLevel(product, ['+', '-'], arithmetic);
  const comparison = (): TriggerExpr => {
    const left = sum();
    const t = peek();
    if (!isOp(t, ...comparisonOps)) return left;
    pos++;
    const right = sum();
    const expr: TriggerExpr = { kind: 'binary', op: (t as { value: string }).value as BinaryOp, left, right, span: join(left.span, right.span) };
    if (isOp(peek(), ...comparisonOps)) throw new TriggerSyntaxError("comparisons do not chain: write 'a < b and b < c'", peek().span);
    return expr;
  };
  const not = (): TriggerExpr => {
    const t = peek();
    if (isOp(t, '!')) {
      pos++;
      const operand = nested(t, not);
      return { kind: 'unary', op: 'not', operand, span: join(t.span, operand.span) };
    }
    return comparison();
  };
  const and = binaryLevel(not, ['&&'], logical);
  const condition = binaryLevel(and, ['||'], logical);

  const expr = condition();
  const rest = peek();
  if (rest.kind !== 'end') throw new TriggerSyntaxError(`unexpected ${describe(rest)} after a complete condition${isOp(rest, ')') ? " (one ')' too many)" : ': join conditions with and / or'}`, rest.span);
  return expr;
}
