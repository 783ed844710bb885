import type { TensorRow } from '../../src/protocol/graphRows';

const shortDtype: Record<string, string> = {
  float32: 'f32', float16: 'f16', bfloat16: 'bf16', float64: 'f64', int8: 'i8', uint8: 'u8', int16: 'i16',
  uint16: 'u16', int32: 'i32', uint32: 'u32', int64: 'i64', uint64: 'u64', bool: 'bool', int4: 'i4', uint4: 'u4',
};

/** `N×3×224×W`; symbolic dims through `aliases` when given (see src/protocol/dimAliases.ts). */
export function formatShape(shape: TensorRow['shape'], aliases?: ReadonlyMap<string, string>): string {
  if (shape === null) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : typeof d === 'string' ? (aliases?.get(d) ?? d) : String(d))).join('×');
}

/** Edge label: `1×3×224×224 f32`. */
export function edgeLabel(tensor: TensorRow, aliases?: ReadonlyMap<string, string>): string {
  const dtype = shortDtype[tensor.dtype] ?? tensor.dtype;
  if (tensor.shape === null) return dtype;
  return `${formatShape(tensor.shape, aliases)}${dtype ? ` ${dtype}` : ''}`;
}

/** 1234567 → `1.23 M`. */
export function formatCount(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, prefix] of units) {
    if (abs >= scale) return `${(n / scale).toPrecision(3)} ${prefix}${unit}`;
  }
  return `${Number.isInteger(n) ? n : n.toPrecision(3)}${unit ? ` ${unit}` : ''}`;
}
