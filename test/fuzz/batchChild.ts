/**
 * Runs cases [from, to) of one family in this process, each through the real CLI entry
 * (runCli, in-process, captured streams) in its own folder; prints `start <i>` before a case
 * and one JSON CaseResult line after it, so the parent can tell which case hung or crashed.
 * argv: family runSeed from to root
 */
import { join } from 'node:path';
import { runCli } from '../../src/cli/program';
import { makeCase, loadSeeds, parseNeighbours, type Seeds } from './caseFactory';
import { runParseCase } from './parseCases';
import { materialize } from './materialize';
import { outputProblems } from './outputChecks';
import { parseFamilies, type CaseResult, type Family, type ParseFamily } from './caseTypes';

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function main(): Promise<void> {
  const [family, seedText, fromText, toText, root] = process.argv.slice(2) as [Family | ParseFamily, string, string, string, string];
  const seeds = await loadSeeds();
  if ((parseFamilies as readonly string[]).includes(family)) return runParseBatch(family as ParseFamily, Number(seedText), Number(fromText), Number(toText), root, seeds);
  for (let i = Number(fromText); i < Number(toText); i++) {
    process.stdout.write(`start ${i}\n`);
    const spec = await makeCase(family as Family, Number(seedText), i, seeds);
    const folder = join(root, 'c', String(i % 64));
    materialize(folder, spec.files);
    for (const argv of spec.commands) {
      let stdout = '';
      let stderr = '';
      const started = performance.now();
      const cpu = process.cpuUsage();
      const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: folder, debug: false });
      const result: CaseResult = { family, index: i, how: spec.how, command: argv.join(' ').slice(0, 200), exitCode: code, ms: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpu)), problems: outputProblems(code, stdout, stderr) };
      if (result.problems.length > 0) (result as { sample?: string }).sample = (stderr || stdout).slice(0, 400);
      process.stdout.write(`${JSON.stringify({ ...result, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    }
  }
}

async function runParseBatch(family: ParseFamily, seed: number, from: number, to: number, root: string, seeds: Seeds): Promise<void> {
  const folder = join(root, 'c', 'parse');
  materialize(folder, parseNeighbours(seeds));
  for (let i = from; i < to; i++) {
    process.stdout.write(`start ${i}\n`);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await runParseCase(family, seed, i, seeds, folder);
    const ms = performance.now() - started;
    const cpuUsed = cpuMs(process.cpuUsage(cpu));
    // Only cases worth a look print a result line; the others count by their start line.
    if (r.problems.length > 0 || cpuUsed > 1000) {
      process.stdout.write(`${JSON.stringify({ family, index: i, how: r.how, command: r.command, exitCode: 0, ms, cpuMs: cpuUsed, problems: r.problems, sample: r.sample, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    }
  }
  process.stdout.write(`rss ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(`crash ${JSON.stringify(e instanceof Error ? e.stack : String(e))}\n`);
    process.exit(3);
  },
);
