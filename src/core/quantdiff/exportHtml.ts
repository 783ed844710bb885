import { promises as fsp } from 'node:fs';
import { findWebviewBundle, webviewBundleCandidates } from '../webview/bundlePath';
import { asciiJson } from '../graphview/exportHtml';
import { pageHtml } from '../webview/pageHtml';
import type { QuantDiffSummary } from '../../protocol/quantdiffReport';

/** Where the built quantdiff app is (the first candidate when it is not built: the error names it). */
export function quantDiffAppScriptPath(): string {
  return findWebviewBundle('quantdiff.js') ?? webviewBundleCandidates('quantdiff.js')[0]!;
}

/** The quantdiff view as one self-contained page (no network): the app inline under the nonce, the report as inert JSON. */
export function renderQuantDiffHtml(report: QuantDiffSummary, appScript: string, nonce?: string): string {
  const name = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return pageHtml({
    title: `${name(report.fp32.path)} vs ${name(report.quant.path)} · AIOS quantization diff`,
    nonce,
    data: [{ id: 'aios-quantdiff-data', type: 'application/json', text: asciiJson(report).replace(/</g, '\\u003c') }],
    scripts: [{ inline: appScript }],
  });
}

export async function quantDiffHtml(report: QuantDiffSummary): Promise<string> {
  const path = quantDiffAppScriptPath();
  let appScript: string;
  try {
    appScript = await fsp.readFile(path, 'utf8');
  } catch {
    throw new Error(`cannot write the HTML page: the quantdiff view is not built (${path} is missing; run node esbuild.mjs)`);
  }
  return renderQuantDiffHtml(report, appScript);
}
