import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The job process entry, dist/workers/job.js, found from a code location: beside a bundle in
 * dist/ (`dist/cli.js`, `dist/extension.js`) or, for the transpiled test mirror under out/,
 * in the repository's dist/ above it. The extension passes its own `extensionUri` path instead.
 */
export function findJobWorker(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'workers', 'job.js'), join(dir, 'dist', 'workers', 'job.js')]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`the job worker (dist/workers/job.js) was not found above ${from}: run 'node esbuild.mjs' to build it`);
}
