/** Number formats of the profile page. */

export function ms(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  if (value >= 0.01) return `${value.toFixed(2)} ms`;
  return `${(value * 1000).toFixed(1)} µs`;
}

export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function watts(value: number): string {
  return value >= 1 ? `${value.toFixed(2)} W` : `${(value * 1000).toFixed(0)} mW`;
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** `✓` within budget, `✗` over it, '' when no budget. */
export function verdict(fits: boolean | null | undefined): string {
  return fits === true ? '✓' : fits === false ? '✗' : '';
}
