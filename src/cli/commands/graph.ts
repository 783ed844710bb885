import type { Command } from 'commander';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { asFileError } from '../../core/files/regularFile';
import { nodeFileSystem } from '../../core/fs';
import { buildModelPayload } from '../../core/graphview/buildPayload';
import { buildDiffPayload } from '../../core/graphview/diffPayload';
import { collectWeightStats, exportGraphPage, loadGraphAssets } from '../../core/graphview/exportModel';
import { findWebviewBundle, webviewBundleCandidates } from '../../core/webview/bundlePath';
import { ExitCode, UsageError } from '../errors';
import { printJson, printLines, type CliIo } from '../io';
import { openModelArgument } from './modelArgument';

const help = `
The page holds the graph app, its layout worker and the model's graph (names, shapes, FLOPs,
params and weight statistics, never the weights themselves). Its Content-Security-Policy
allows no network access at all; open it in any browser. It sets
document.body.dataset.ready = "true" once the first frame is drawn.

With --base, the page shows the diff of BASE -> MODEL: added, removed and changed nodes.
`;

/** The folder of the built graph app (the first candidate when it is not built: loading it then names the missing file). */
function webviewsDir(): string {
  return dirname(findWebviewBundle('graph.js') ?? webviewBundleCandidates('graph.js')[0]!);
}

export function registerGraph(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('graph <model>')
    .description('write the graph view as one self-contained HTML file')
    .requiredOption('--html <out>', 'output HTML file')
    .option('--base <model>', 'show the diff from this base model to MODEL')
    .option('--no-weights', 'leave weight statistics out of the page')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (modelPath: string, options: { html: string; base?: string; weights: boolean; json?: boolean }) => {
      const out = resolve(io.cwd, options.html);
      if (existsSync(out) && (await fsp.stat(out)).isDirectory()) throw new UsageError(`--html ${options.html}: is a folder; give a file name such as graph.html`);
      if (!existsSync(dirname(out))) throw new UsageError(`--html ${options.html}: the folder ${dirname(out)} does not exist`);
      const model = await openModelArgument(io, modelPath);
      const title = basename(modelPath);
      const started = Date.now();
      const payload = options.base
        ? (await buildDiffPayload(await openModelArgument(io, options.base), model, { title, baseTitle: basename(options.base) })).payload
        : await buildModelPayload(model, { title });
      const weights = options.weights ? await collectWeightStats(model, payload) : {};
      let assets;
      try {
        assets = await loadGraphAssets(nodeFileSystem, webviewsDir());
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      const html = exportGraphPage(payload, weights, assets);
      await fsp.writeFile(out, html, 'utf8').catch((e: unknown) => {
        throw asFileError(e, `--html ${options.html}`);
      });
      const main = payload.graphs[0]!;
      const nodes = main.nodes.kind.filter((k) => k === 'op').length;
      const summary = {
        // As given when relative (it is relative to where the user stands), else absolute.
        output: isAbsolute(options.html) ? out : options.html,
        bytes: Buffer.byteLength(html),
        nodes,
        graphs: payload.graphs.length,
        weightStatistics: Object.keys(weights).length,
        diff: payload.diff ? { added: count(payload.diff.status, 'added'), removed: count(payload.diff.status, 'removed'), changed: count(payload.diff.status, 'changed') } : null,
        ms: Date.now() - started,
      };
      if (options.json) printJson(io, summary);
      else printLines(io.stdout, [`Wrote ${summary.output} (${(summary.bytes / 1024).toFixed(0)} KiB): ${nodes} nodes${payload.graphs.length > 1 ? ` in ${payload.graphs.length} graphs` : ''}${summary.diff ? `, ${summary.diff.added} added, ${summary.diff.removed} removed, ${summary.diff.changed} changed` : ''}.`]);
      setExitCode(ExitCode.ok);
    });
}

function count(values: readonly string[], what: string): number {
  return values.filter((v) => v === what).length;
}
