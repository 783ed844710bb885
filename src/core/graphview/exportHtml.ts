import { gzipSync } from 'node:zlib';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import { pageHtml } from '../webview/pageHtml';

export interface GraphHtmlParts {
  readonly payload: GraphPayload;
  /** Statistics by `graphIndex:tensorName`, answered locally when the user asks for them. */
  readonly weights: Readonly<Record<string, WeightStats>>;
  /** The graph app bundle (dist/webviews/graph.js). */
  readonly appScript: string;
  /** The layout worker bundle (dist/webviews/graph.layout.worker.js). */
  readonly workerScript: string;
  /** Fixed nonce (tests); a fresh random one when omitted. */
  readonly nonce?: string;
}

/**
 * JSON with every non-ASCII character as a \u escape: the page then decodes and parses a
 * one-byte string, markedly faster for big graphs than a mixed one.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The graph view as one self-contained page: the app inline (nonce), the worker as base64 text
 * started from a blob URL, the data as inert gzip+base64 JSON (a fifth of the size, so big
 * graphs load faster), and a CSP that allows no network at all.
 */
export function renderGraphHtml(parts: GraphHtmlParts): string {
  const worker = Buffer.from(parts.workerScript, 'utf8').toString('base64');
  const data = gzipSync(asciiJson({ payload: parts.payload, weights: parts.weights }), { level: 6 }).toString('base64');
  return pageHtml({
    title: `${parts.payload.title} · AIOS model graph`,
    nonce: parts.nonce,
    blobWorkers: true,
    data: [
      { id: 'aios-graph-data', type: 'application/octet-stream', attributes: { 'data-encoding': 'gzip+base64' }, text: data },
      { id: 'aios-graph-worker', type: 'text/plain', text: worker },
    ],
    scripts: [{ inline: parts.appScript }],
  });
}
