import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where a built webview bundle (`dist/webviews/<file>`) may be: beside the bundled CLI
 * (dist/), beside the bundled job worker (dist/workers), or in the repository's dist/ when run
 * from out/ (tests). This module's own folder is the bundle's folder once bundled, and three
 * levels under out/ otherwise, like every caller.
 */
export function webviewBundleCandidates(file: string): string[] {
  return [join(__dirname, 'webviews'), join(__dirname, '..', 'webviews'), resolve(__dirname, '../../../../dist/webviews')].map((dir) => join(dir, file));
}

/** The first place the bundle is built, or undefined when it is nowhere (callers say what to run). */
export function findWebviewBundle(file: string): string | undefined {
  return webviewBundleCandidates(file).find((path) => existsSync(path));
}
