import type { Command } from 'commander';
import { diffModels } from '../../core/onnx/diff';
import { formatBytes } from '../../core/quantity/counts';
import { ExitCode } from '../errors';
import { printJson, printLines, type CliIo } from '../io';
import { openModelArgument, withProgress } from './modelArgument';

const help = `
Nodes are matched by name first, then by structure (same op with the same inputs/outputs or
with inputs from matched nodes), so renamed and unnamed nodes still line up. Changed nodes list
what changed: op type, attributes, input wiring, weight dtype/shape, weight content (SHA-256;
weights over 256 MiB, or past 1 GiB hashed in one diff, are compared by their length and
256 sampled blocks of 64 KiB, and the output says so).

Exit codes (like diff(1)): 0 the models are structurally identical; 1 they differ;
2 a model is unreadable or malformed (one line on stderr).
`;

export function registerDiff(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('diff <a> <b>')
    .description('structural diff of two models (exit 1 when they differ)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (pathA: string, pathB: string, options: { json?: boolean }) => {
      const d = await withProgress(io, `comparing ${pathA} and ${pathB}`, async () => diffModels(await openModelArgument(io, pathA), await openModelArgument(io, pathB)));
      setExitCode(d.identical ? ExitCode.ok : ExitCode.checkFailed);
      if (options.json) {
        // The pairing of every node would double the document for big models; it serves the graph view.
        const { pairs: _pairs, ...json } = d;
        printJson(io, json);
        return;
      }
      const out: string[] = [`--- ${pathA}`, `+++ ${pathB}`];
      if (d.irVersion) out.push(`IR version ${d.irVersion.a} -> ${d.irVersion.b}`);
      for (const o of d.opsets) out.push(`opset ${o.domain}: ${o.a ?? 'none'} -> ${o.b ?? 'none'}`);
      for (const [label, io_] of [['input', d.inputs], ['output', d.outputs]] as const) {
        for (const n of io_.removed) out.push(`- ${label} ${n}`);
        for (const n of io_.added) out.push(`+ ${label} ${n}`);
        for (const c of io_.changed) out.push(`~ ${label} ${c.name}: ${c.what}`);
      }
      for (const n of d.removed) out.push(`- ${n.node} (${n.op})`);
      for (const n of d.added) out.push(`+ ${n.node} (${n.op})`);
      for (const c of d.changed) {
        out.push(`~ ${c.node} (${c.op})${c.was ? ` was ${c.was}` : ''}`);
        for (const w of c.what) out.push(`    ${w}`);
      }
      out.push(
        d.identical
          ? 'The models are structurally identical.'
          : `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed nodes (${d.matching.byName} matched by name, ${d.matching.byStructure} by structure)`,
      );
      for (const w of d.sampledWeights ?? []) out.push(`Note: weight ${w.tensor} (${formatBytes(w.bytes)}) is too big to hash whole; compared by its length and sampled blocks only`);
      printLines(io.stdout, out);
    });
}
