import type { Elem } from './types';

/**
 * Linear expressions over symbolic dims (`past_seq + seq`, `2*n - 1`), so that shape arithmetic
 * such as KV-cache lengths (Concat of past and new, Range(past, past + seq)) stays symbolic
 * instead of becoming unknown. A symbol that does not parse as an expression is one opaque atom.
 */
type Lin = Map<string, number>;

const atom = /^[A-Za-z_][A-Za-z0-9_.:]*$/;
const term = /^(?:(\d+)\s*\*\s*)?([A-Za-z_][A-Za-z0-9_.:]*)$|^(\d+)$/;

function parse(x: Elem): Lin | undefined {
  if (typeof x === 'number') return new Map([['', x]]);
  if (typeof x !== 'string') return undefined;
  if (atom.test(x)) return new Map([[x, 1]]);
  const out: Lin = new Map();
  const parts = x.replace(/\s+/g, '').replace(/-/g, '+-').split('+').filter((p) => p !== '');
  for (const p of parts) {
    const neg = p.startsWith('-');
    const m = term.exec(neg ? p.slice(1) : p);
    if (!m) return new Map([[x, 1]]);
    const sign = neg ? -1 : 1;
    if (m[3] !== undefined) out.set('', (out.get('') ?? 0) + sign * Number(m[3]));
    else if (m[2] !== undefined) out.set(m[2], (out.get(m[2]) ?? 0) + sign * (m[1] ? Number(m[1]) : 1));
  }
  return out;
}

function format(l: Lin): Elem {
  const symbols = [...l.entries()].filter(([k, c]) => k !== '' && c !== 0).sort(([a], [b]) => a.localeCompare(b));
  const constant = l.get('') ?? 0;
  if (symbols.length === 0) return constant;
  const first = symbols[0];
  if (symbols.length === 1 && constant === 0 && first && first[1] === 1) return first[0];
  let s = '';
  for (const [k, c] of symbols) {
    const mag = Math.abs(c);
    const t = mag === 1 ? k : `${mag}*${k}`;
    s += s === '' ? (c < 0 ? `-${t}` : t) : c < 0 ? ` - ${t}` : ` + ${t}`;
  }
  if (constant !== 0) s += constant < 0 ? ` - ${-constant}` : ` + ${constant}`;
  return s;
}

/** a + sign*b over numbers and symbolic expressions; undefined when either is unknown. */
export function addSymbolic(a: Elem, b: Elem, sign: 1 | -1): Elem {
  const la = parse(a);
  const lb = parse(b);
  if (!la || !lb) return undefined;
  for (const [k, c] of lb) la.set(k, (la.get(k) ?? 0) + sign * c);
  return format(la);
}

/** a * k for an integer k. */
export function scaleSymbolic(a: Elem, k: number): Elem {
  if (!Number.isInteger(k)) return undefined;
  const la = parse(a);
  if (!la) return undefined;
  for (const [s, c] of la) la.set(s, c * k);
  return format(la);
}

/** a / k when every coefficient divides exactly. */
export function divideSymbolic(a: Elem, k: number): Elem {
  const la = parse(a);
  if (!la || k === 0) return undefined;
  for (const [s, c] of la) {
    if (c % k !== 0) return undefined;
    la.set(s, c / k);
  }
  return format(la);
}
