import { statSync } from 'node:fs';
import { runOrThrow } from './processes';

export interface PackagedVsix {
  readonly path: string;
  readonly bytes: number;
  readonly ms: number;
}

/**
 * `npm run package` (production build + vsce, linux-x64) into `out`, then the development
 * build again so dist/ keeps its source maps for debugging.
 */
export async function packageVsix(repoRoot: string, out: string, signal: AbortSignal): Promise<PackagedVsix> {
  const started = performance.now();
  try {
    await runOrThrow('npm', ['run', 'package', '--', '--out', out], { cwd: repoRoot, signal });
  } finally {
    await runOrThrow('node', ['esbuild.mjs'], { cwd: repoRoot, signal });
  }
  return { path: out, bytes: statSync(out).size, ms: performance.now() - started };
}
