/** Colour helpers for any webview: VS Code theme colours arrive as CSS variables in any CSS syntax. */

/** Normalises any CSS colour to `#rrggbb` / `rgba(…)` through a canvas context. */
export function normalizeColor(ctx: CanvasRenderingContext2D, value: string, fallback: string): string {
  ctx.fillStyle = fallback;
  if (value.trim()) ctx.fillStyle = value.trim();
  return String(ctx.fillStyle);
}

export function parseRgb(color: string): [number, number, number] {
  if (color.startsWith('#') && color.length >= 7) {
    return [parseInt(color.slice(1, 3), 16), parseInt(color.slice(3, 5), 16), parseInt(color.slice(5, 7), 16)];
  }
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(color);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

export function mix(a: string, b: string, t: number): string {
  const ca = parseRgb(a);
  const cb = parseRgb(b);
  const c = ca.map((v, i) => Math.round(v + (cb[i]! - v) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance, for choosing a readable text colour over a fill. */
export function luminance(color: string): number {
  const [r, g, b] = parseRgb(color).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The VS Code theme kind from the body classes VS Code sets, else from the background's luminance. */
export function themeKind(background: string): 'light' | 'dark' | 'highContrast' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light')) return 'highContrast';
  if (classes.contains('vscode-light')) return 'light';
  if (classes.contains('vscode-dark')) return 'dark';
  return luminance(background) < 0.4 ? 'dark' : 'light';
}
