import { gzipSync } from 'node:zlib';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';

export interface GraphHtmlParts {
  readonly payload: GraphPayload;
  /** Statistics by `graphIndex:tensorName`, answered locally when the user asks for them. */
  readonly weights: Readonly<Record<string, WeightStats>>;
  /** The graph app bundle (dist/webviews/graph.js). */
  readonly appScript: string;
  /** The layout worker bundle (dist/webviews/graph.layout.worker.js). */
  readonly workerScript: string;
  /** Fresh random nonce (base64) for this page. */
  readonly nonce: string;
}

/**
 * JSON with every non-ASCII character as a \u escape: the page then decodes and parses a
 * one-byte string, markedly faster for big graphs than a mixed one.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escapes text for an HTML text or attribute context. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The graph view as one self-contained page: the app inline (nonce), the worker as base64 text
 * started from a blob URL, the data as inert gzip+base64 JSON (a fifth of the size, so big
 * graphs load faster), and a CSP that allows no network at all.
 */
export function renderGraphHtml(parts: GraphHtmlParts): string {
  if (/<\/script/i.test(parts.appScript)) throw new Error('the graph app bundle contains "</script" and cannot be inlined; rebuild it');
  const nonce = escapeHtml(parts.nonce);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'worker-src blob:',
    'img-src data: blob:',
    "font-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const worker = Buffer.from(parts.workerScript, 'utf8').toString('base64');
  const data = gzipSync(asciiJson({ payload: parts.payload, weights: parts.weights }), { level: 6 }).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(parts.payload.title)} · AIOS model graph</title>
</head>
<body>
<script type="application/octet-stream" id="aios-graph-data" data-encoding="gzip+base64">${data}</script>
<script type="text/plain" id="aios-graph-worker">${worker}</script>
<script nonce="${nonce}">${parts.appScript}</script>
</body>
</html>
`;
}
