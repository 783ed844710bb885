import { nearest } from '../../diagnostics/didYouMean';
import { comparisonOps, triggerFunctions, type BinaryOp, type Span, type TriggerExpr, type TriggerFunction } from './parse';

/** What a trigger may read of one model output. */
export interface TriggerOutput {
  readonly name: string;
  /** Dims as the model states them; a name or undefined is a dim not known before running. */
  readonly shape: ReadonlyArray<number | string | undefined> | undefined;
  /** Names of the elements along the last axis (use case `model.outputs[].labels`). */
  readonly labels?: readonly string[];
}

/** Why a trigger cannot be evaluated on this model: a reference or a type problem, at `span`. */
export interface TriggerProblem {
  /** `reference`: an output or element the model does not have; `type`: the condition is not one yes/no value. */
  readonly kind: 'reference' | 'type';
  readonly message: string;
  readonly span: Span;
  /** Replacements for the span that would fix a reference (nearest names). */
  readonly suggestions: readonly string[];
}

interface Typed {
  readonly type: 'number' | 'bool';
  /** Elements, when known before running. */
  readonly count: number | undefined;
}

function product(dims: ReadonlyArray<number | string | undefined>): number | undefined {
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function isTriggerFunction(name: string): name is TriggerFunction {
  return Object.hasOwn(triggerFunctions, name);
}

/**
 * The problems of a parsed trigger on a model with these outputs. `outputs` undefined means
 * the model is not known (unreadable): only type problems are reported then.
 */
export function checkTrigger(expr: TriggerExpr, outputs: readonly TriggerOutput[] | undefined): TriggerProblem[] {
  const problems: TriggerProblem[] = [];
  const byName = new Map((outputs ?? []).map((o) => [o.name, o]));
  const typeProblem = (message: string, span: Span): void => {
    problems.push({ kind: 'type', message, span, suggestions: [] });
  };

  const visit = (e: TriggerExpr): Typed => {
    switch (e.kind) {
      case 'number':
        return { type: 'number', count: 1 };
      case 'ref': {
        if (!outputs) return { type: 'number', count: undefined };
        const out = byName.get(e.output);
        if (!out) {
          const names = [...byName.keys()];
          const suggestions = nearest(e.output, names).map(quoteName);
          const hint = isTriggerFunction(e.output) ? ` (${e.output} is a function: write ${e.output}(…))` : suggestions.length > 0 ? `; did you mean ${suggestions[0]}?` : '';
          problems.push({ kind: 'reference', message: `the model has no output '${e.output}' (its outputs: ${names.join(', ') || 'none'})${hint}`, span: e.outputSpan, suggestions });
          return { type: 'number', count: undefined };
        }
        const total = out.shape ? product(out.shape) : undefined;
        if (!e.selector) return { type: 'number', count: total };
        const last = out.shape && out.shape.length > 0 ? out.shape[out.shape.length - 1] : undefined;
        const lastKnown = typeof last === 'number' ? last : undefined;
        if (out.shape && out.shape.length === 0) {
          problems.push({ kind: 'reference', message: `output '${out.name}' is a single value (a scalar): use it without selecting an element`, span: e.selector.span, suggestions: [] });
          return { type: 'number', count: 1 };
        }
        const selected = total !== undefined && lastKnown !== undefined && lastKnown > 0 ? total / lastKnown : undefined;
        if (e.selector.kind === 'index') {
          if (lastKnown !== undefined && e.selector.index >= lastKnown) {
            problems.push({ kind: 'reference', message: `output '${out.name}' has ${lastKnown} element${lastKnown === 1 ? '' : 's'} along its last axis: index ${e.selector.index} is out of range (0 to ${lastKnown - 1})`, span: e.selector.span, suggestions: [] });
          }
          return { type: 'number', count: selected };
        }
        const labels = out.labels;
        const label = e.selector.name;
        if (!labels || labels.length === 0) {
          problems.push({
            kind: 'reference',
            message: `output '${out.name}' has no element labels, so '${label}' means nothing: name its elements in model.outputs (e.g. {name: ${out.name}, labels: […, ${label}]}) or select by index (${out.name}[0])`,
            span: e.selector.span,
            suggestions: [],
          });
        } else if (!labels.includes(label)) {
          const suggestions = nearest(label, labels);
          problems.push({ kind: 'reference', message: `output '${out.name}' has no element '${label}' (its labels: ${labels.join(', ')})${suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : ''}`, span: e.selector.span, suggestions });
        }
        return { type: 'number', count: selected };
      }
      case 'call': {
        const args = e.args.map(visit);
        if (!isTriggerFunction(e.fn)) {
          const suggestions = nearest(e.fn, Object.keys(triggerFunctions));
          typeProblem(`unknown function '${e.fn}' (known: ${Object.keys(triggerFunctions).join(', ')})${suggestions.length > 0 ? `; did you mean ${suggestions[0]}?` : ''}`, e.nameSpan);
          return { type: 'number', count: 1 };
        }
        args.forEach((a, i) => {
          if (a.type === 'bool') typeProblem(`${e.fn}() takes numbers, not a condition`, e.args[i]!.span);
        });
        if (e.fn === 'abs') {
          if (args.length !== 1) typeProblem(`abs() takes one value, not ${args.length}`, e.span);
          return { type: 'number', count: args[0]?.count };
        }
        if ((e.fn === 'min' || e.fn === 'max') && args.length > 1) {
          args.forEach((a, i) => {
            if (a.count !== undefined && a.count !== 1) typeProblem(`${e.fn}(a, b, …) compares single values; this one has ${a.count} elements (reduce it first: ${e.fn}(x))`, e.args[i]!.span);
          });
          return { type: 'number', count: 1 };
        }
        if (args.length !== 1) typeProblem(`${e.fn}() takes one output or value, not ${args.length}`, e.span);
        return { type: 'number', count: 1 };
      }
      case 'unary': {
        const operand = visit(e.operand);
        if (e.op === 'not') {
          if (operand.type !== 'bool') typeProblem("'not' needs a condition (e.g. not (x > 1)), not a number", e.operand.span);
          return { type: 'bool', count: operand.count };
        }
        if (operand.type !== 'number') typeProblem("'-' needs a number, not a condition", e.operand.span);
        return { type: 'number', count: operand.count };
      }
      case 'binary': {
        const left = visit(e.left);
        const right = visit(e.right);
        const logical = e.op === 'and' || e.op === 'or';
        const want = logical ? 'bool' : 'number';
        for (const [side, typed] of [[e.left, left], [e.right, right]] as const) {
          if (typed.type !== want) typeProblem(logical ? `'${e.op}' joins conditions; this is a number: compare it (e.g. ${textOf(side)} > 0.5)` : `'${e.op}' needs numbers on both sides, not a condition`, side.span);
        }
        const count = left.count === 1 ? right.count : right.count === 1 ? left.count : left.count !== undefined && right.count !== undefined && left.count !== right.count ? undefined : (left.count ?? right.count);
        if (left.count !== undefined && right.count !== undefined && left.count !== 1 && right.count !== 1 && left.count !== right.count) {
          typeProblem(`'${e.op}' between ${left.count} and ${right.count} elements: the sides must have the same number of elements, or one side a single value`, e.span);
        }
        return { type: logical || isComparison(e.op) ? 'bool' : 'number', count };
      }
    }
  };

  const top = visit(expr);
  if (top.type !== 'bool') typeProblem(`this is a number, not a condition: compare it, e.g. ${textOf(expr)} < 0.4`, expr.span);
  else if (top.count !== undefined && top.count !== 1) {
    typeProblem(`the condition gives ${top.count} yes/no values, one per element: pick one element (e.g. output.label or output[0]) or reduce with max(…), min(…) or mean(…)`, expr.span);
  }
  return problems;
}

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

export function isComparison(op: BinaryOp): boolean {
  return (comparisonOps as readonly string[]).includes(op);
}

function textOf(e: TriggerExpr): string {
  if (e.kind === 'ref') return `${quoteName(e.output)}${e.selector ? (e.selector.kind === 'label' ? `.${e.selector.name}` : `[${e.selector.index}]`) : ''}`;
  if (e.kind === 'number') return String(e.value);
  if (e.kind === 'call') return `${e.fn}(…)`;
  return 'it';
}
