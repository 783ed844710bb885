import { randomBytes } from 'node:crypto';

/** A script the page runs under its nonce: a URL (VS Code webview) or inline code (standalone page). */
export type PageScript = { readonly src: string } | { readonly inline: string };

/** Inert text the app reads at start-up (data, a worker's source): never executed by the browser. */
export interface PageData {
  readonly id: string;
  /** A non-JavaScript MIME type, e.g. `application/json`, `text/plain`. */
  readonly type: string;
  readonly text: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface PageSpec {
  /** Shown as the document title; escaped here. */
  readonly title: string;
  readonly scripts: readonly PageScript[];
  readonly data?: readonly PageData[];
  /** A style sheet applied under the page's nonce (a report that runs no script still gets one). */
  readonly style?: string;
  /** Static markup of the body, before the data and scripts; the caller escapes what it puts in. */
  readonly body?: string;
  /** Fresh random nonce unless given (tests pass a fixed one). */
  readonly nonce?: string;
  /**
   * Where the page may load scripts, styles, fonts and images from besides inline nonce'd
   * code: the webview's `cspSource` in VS Code; omitted for a standalone page, which then
   * may load nothing at all.
   */
  readonly resourceSource?: string;
  /** Allow workers started from blob URLs (webview resources are cross-origin for workers). */
  readonly blobWorkers?: boolean;
}

/** 18 random bytes as base64: the CSP nonce of one page. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Escapes text for an HTML text or attribute context. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The strict policy: nonce'd scripts only; nonce'd styles, fonts and images from the given resource origin; data:/blob: images. */
export function contentSecurityPolicy(nonce: string, resourceSource: string | undefined, blobWorkers: boolean): string {
  const source = resourceSource ? ` ${resourceSource}` : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'${source}`,
    ...(blobWorkers ? ['worker-src blob:'] : []),
    `img-src${source} data: blob:`,
    `font-src${source || " 'none'"}`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * One HTML page for any webview, in VS Code or exported: strict CSP with a per-page nonce,
 * no inline handlers, data in inert elements. Refuses inline text that would end its element.
 */
export function pageHtml(spec: PageSpec): string {
  const nonce = escapeHtml(spec.nonce ?? newNonce());
  const csp = contentSecurityPolicy(nonce, spec.resourceSource, spec.blobWorkers ?? false);
  const data = (spec.data ?? []).map((d) => {
    assertInlinable(d.text, `the page data "${d.id}"`);
    const attributes = Object.entries(d.attributes ?? {}).map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
    return `<script type="${escapeHtml(d.type)}" id="${escapeHtml(d.id)}"${attributes}>${d.text}</script>\n`;
  });
  if (spec.style !== undefined) assertInlinable(spec.style, 'the style sheet', 'style');
  const style = spec.style !== undefined ? `<style nonce="${nonce}">${spec.style}</style>\n` : '';
  const scripts = spec.scripts.map((s) => {
    if ('src' in s) return `<script nonce="${nonce}" src="${escapeHtml(s.src)}"></script>\n`;
    assertInlinable(s.inline, 'the app bundle');
    return `<script nonce="${nonce}">${s.inline}</script>\n`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(spec.title)}</title>
${style}</head>
<body>
${spec.body ?? ''}${data.join('')}${scripts.join('')}</body>
</html>
`;
}

function assertInlinable(text: string, what: string, element = 'script'): void {
  if (new RegExp(`</${element}`, 'i').test(text)) throw new Error(`${what} contains "</${element}" and cannot be inlined; rebuild it`);
}
