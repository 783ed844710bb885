import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** dist/webviews next to the bundled job worker (dist/workers), or the repository's dist/ when run from out/. */
function webviewsCandidates(): string[] {
  return [join(__dirname, '..', 'webviews'), join(__dirname, 'webviews'), resolve(__dirname, '../../../../dist/webviews')];
}

/**
 * The report's chart script (dist/webviews/report.js). Without it the report still has every
 * table; the log says why the charts are missing.
 */
export async function readReportBundle(log: (line: string) => void): Promise<string | undefined> {
  const dir = webviewBundlesDir();
  if (dir === undefined) {
    log(`report charts left out: the report bundle is missing (looked in ${webviewsCandidates().join(', ')}); run \`npm run build\``);
    return undefined;
  }
  return readFile(join(dir, 'report.js'), 'utf8');
}

/** The folder holding the webview bundles (report.js, graph.js), if there is one. */
export function webviewBundlesDir(): string | undefined {
  return webviewsCandidates().find((dir) => existsSync(join(dir, 'report.js')));
}
