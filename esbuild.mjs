// One build for everything: the extension and CLI bundles (Node), the webview apps
// (browser), worker entry points, and a transpile-only copy of src/, test/, scripts/
// and bench/ under out/ for mocha, the integration runner and the benchmarks.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Every `.ts` file below `dir`, recursively. */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...tsFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

// Native or host-provided modules are never bundled.
const nodeExternals = ['vscode', 'onnxruntime-node'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
};

/** Node entry points: the extension, the CLI, and every `*.worker.ts` under src/. */
const nodeBundles = {
  ...common,
  platform: 'node',
  format: 'cjs',
  external: nodeExternals,
  entryPoints: {
    extension: 'src/extension/extension.ts',
    ...Object.fromEntries(
      tsFiles('src')
        .filter((f) => f.endsWith('.worker.ts'))
        .map((f) => [`workers/${f.split('/').pop().replace(/\.worker\.ts$/, '')}`, f]),
    ),
  },
  outdir: 'dist',
};

const cliBundle = {
  ...common,
  platform: 'node',
  format: 'cjs',
  external: nodeExternals,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
};

/** Each folder webviews/<app>/ with a main.ts is one browser bundle; `*.worker.ts` beside it too. */
const webviewEntries = {};
for (const app of existsSync('webviews') ? readdirSync('webviews') : []) {
  const dir = join('webviews', app);
  if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'main.ts'))) continue;
  webviewEntries[app] = join(dir, 'main.ts');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.worker.ts'))) {
    webviewEntries[`${app}.${f.replace(/\.worker\.ts$/, '')}.worker`] = join(dir, f);
  }
}
const webviewBundles = {
  ...common,
  platform: 'browser',
  format: 'iife',
  entryPoints: webviewEntries,
  outdir: 'dist/webviews',
  loader: { '.css': 'text', '.ttf': 'dataurl' },
};

/** Transpile-only mirror for tests, scripts and benchmarks: out/<path>.js. */
const mirrorSources = ['src', 'test', 'scripts', 'bench'].flatMap(tsFiles);
const mirror = {
  sourcemap: 'inline',
  logLevel: 'warning',
  target: 'es2022',
  platform: 'node',
  format: 'cjs',
  bundle: false,
  entryPoints: mirrorSources,
  outdir: 'out',
  outbase: '.',
};

const configs = [nodeBundles, cliBundle, mirror];
if (Object.keys(webviewEntries).length > 0) configs.push(webviewBundles);

if (watch) {
  for (const config of configs) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  }
  console.log('esbuild: watching', configs.length, 'builds');
} else {
  const started = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (process.env.AIOS_BUILD_VERBOSE) console.log(`esbuild: built in ${Date.now() - started} ms (${relative('.', 'dist')}, out)`);
}
