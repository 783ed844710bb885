import { isComparison } from './check';
import type { BinaryOp, TriggerExpr } from './parse';

/** One output's values after a run, flattened in C order. */
export interface OutputValues {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}

export class TriggerEvaluationError extends Error {
  override readonly name = 'TriggerEvaluationError';
}

type Values = readonly number[];

/**
 * Evaluates a checked trigger on one sample's outputs. `labels` gives each output's element
 * labels (last axis). Throws TriggerEvaluationError when the values do not fit the expression
 * (a missing output, a label past the last axis, a condition with several values).
 */
export function evaluateTrigger(expr: TriggerExpr, outputs: ReadonlyMap<string, OutputValues>, labels: ReadonlyMap<string, readonly string[]> = new Map()): boolean {
  const result = values(expr, outputs, labels);
  if (result.length !== 1) throw new TriggerEvaluationError(`the condition gave ${result.length} values, not one: select one element or reduce with max(…)/min(…)`);
  return result[0] !== 0;
}

function values(e: TriggerExpr, outputs: ReadonlyMap<string, OutputValues>, labels: ReadonlyMap<string, readonly string[]>): Values {
  switch (e.kind) {
    case 'number':
      return [e.value];
    case 'ref': {
      const out = outputs.get(e.output);
      if (!out) throw new TriggerEvaluationError(`the model run gave no output '${e.output}'`);
      if (!e.selector) return Array.from(out.data);
      const last = out.dims.length > 0 ? out.dims[out.dims.length - 1]! : 1;
      const index = e.selector.kind === 'index' ? e.selector.index : (labels.get(e.output) ?? []).indexOf(e.selector.name);
      if (index < 0 || index >= last) {
        const what = e.selector.kind === 'index' ? `index ${index}` : `label '${e.selector.kind === 'label' ? e.selector.name : ''}'`;
        throw new TriggerEvaluationError(`${what} of output '${e.output}' is outside its last axis (${last} elements, shape [${out.dims.join(', ')}])`);
      }
      const picked: number[] = [];
      for (let base = 0; base < out.data.length; base += last) picked.push(out.data[base + index]!);
      return picked;
    }
    case 'call': {
      const args = e.args.map((a) => values(a, outputs, labels));
      const first = args[0] ?? [];
      switch (e.fn) {
        case 'abs':
          return first.map(Math.abs);
        case 'min':
          return [args.length > 1 ? Math.min(...args.map(single)) : reduce(first, Math.min)];
        case 'max':
          return [args.length > 1 ? Math.max(...args.map(single)) : reduce(first, Math.max)];
        case 'sum':
          return [first.reduce((a, b) => a + b, 0)];
        case 'mean':
          return [first.length === 0 ? Number.NaN : first.reduce((a, b) => a + b, 0) / first.length];
        case 'argmax': {
          let best = 0;
          first.forEach((v, i) => {
            if (v > first[best]!) best = i;
          });
          return [best];
        }
        default:
          throw new TriggerEvaluationError(`unknown function '${e.fn}'`);
      }
    }
    case 'unary': {
      const operand = values(e.operand, outputs, labels);
      return e.op === '-' ? operand.map((v) => -v) : operand.map((v) => (v === 0 ? 1 : 0));
    }
    case 'binary': {
      const left = values(e.left, outputs, labels);
      const right = values(e.right, outputs, labels);
      const n = Math.max(left.length, right.length);
      if (left.length !== right.length && left.length !== 1 && right.length !== 1) {
        throw new TriggerEvaluationError(`'${e.op}' between ${left.length} and ${right.length} values`);
      }
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(apply(e.op, left[left.length === 1 ? 0 : i]!, right[right.length === 1 ? 0 : i]!));
      return out;
    }
  }
}

function single(v: Values): number {
  if (v.length !== 1) throw new TriggerEvaluationError(`min/max of several arguments takes single values, got ${v.length}`);
  return v[0]!;
}

function reduce(v: Values, f: (a: number, b: number) => number): number {
  if (v.length === 0) return Number.NaN;
  let acc = v[0]!;
  for (let i = 1; i < v.length; i++) acc = f(acc, v[i]!);
  return acc;
}

function apply(op: BinaryOp, a: number, b: number): number {
  if (isComparison(op)) {
    const r = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : op === '>=' ? a >= b : op === '==' ? a === b : a !== b;
    return r ? 1 : 0;
  }
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case 'and': return a !== 0 && b !== 0 ? 1 : 0;
    case 'or': return a !== 0 || b !== 0 ? 1 : 0;
    default: return Number.NaN;
  }
}
