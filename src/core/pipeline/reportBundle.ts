import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { findWebviewBundle, webviewBundleCandidates } from '../webview/bundlePath';

/**
 * The report's chart script (dist/webviews/report.js). Without it the report still has every
 * table; the log says why the charts are missing.
 */
export async function readReportBundle(log: (line: string) => void): Promise<string | undefined> {
  const bundle = findWebviewBundle('report.js');
  if (bundle === undefined) {
    log(`report charts left out: the report bundle is missing (looked for ${webviewBundleCandidates('report.js').join(', ')}); run \`npm run build\``);
    return undefined;
  }
  return readFile(bundle, 'utf8');
}

/** The folder holding the webview bundles (report.js, graph.js), if there is one. */
export function webviewBundlesDir(): string | undefined {
  const bundle = findWebviewBundle('report.js');
  return bundle === undefined ? undefined : dirname(bundle);
}
