/**
 * `npm run fuzz` — the probe suite (issue #15). Deterministic from --seed. Families:
 * onnx-bytes, onnx-graph, onnx-external, usecase-yaml, soc-yaml (in batch child processes that
 * run the real CLI in-process, one case folder each, under strace), cli-env (one child process
 * per case: cwd, env, args, stdout to /dev/full or a closed pipe) and html (exported graph
 * pages in Chromium). Exit 1 when any goal is missed.
 *
 *   npm run fuzz                      full run: 45,000 per parser-level family, 2,000 per CLI-in-process family, 300 CLI processes, 20 pages
 *   npm run fuzz -- --short           the CI subset (about a minute)
 *   npm run fuzz -- --seed 7 --parse-cases 5000 --cases 500 --cli 40 --html 3
 *   npm run fuzz -- --jobs 2          families two at a time (the full run on a 2-core machine)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../../src/core/text/table';
import { runFamily, WALL_LIMIT_MS, type FamilyTally } from './batchRunner';
import { loadSeeds } from './caseFactory';
import { families, parseFamilies } from './caseTypes';
import { runCliEnvFamily } from './cliEnvCases';
import { runHtmlFamily } from './htmlCases';
import { straceAvailable } from './traceReads';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`fuzz: bad ${name} '${process.argv[at + 1]}': expected a whole number`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  const short = process.argv.includes('--short');
  const seed = option('--seed', 1);
  const perFamily = option('--cases', short ? 40 : 2_000);
  const perParseFamily = option('--parse-cases', short ? 60 : 45_000);
  const cliCases = option('--cli', short ? 10 : 300);
  const htmlCases = option('--html', short ? 1 : 20);
  const jobs = option('--jobs', 1);
  const timeLimitMs = WALL_LIMIT_MS;
  const memoryLimitMiB = 1024;
  const root = mkdtempSync(join(tmpdir(), 'aios-fuzz-'));
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`fuzz: seed ${seed}, ${jobs} at a time, ${perParseFamily} cases per parser-level family, ${perFamily} per CLI-in-process family, ${cliCases} CLI processes, ${htmlCases} pages; ${straceAvailable ? 'strace on' : 'strace not installed: file access is not checked'}`);
  const tallies: Array<FamilyTally & { skipped?: string }> = [];
  try {
    const seeds = await loadSeeds();
    // Longest first; with --jobs N, N families run at once (each in its own child processes).
    const tasks: Array<() => Promise<FamilyTally & { skipped?: string }>> = [
      ...parseFamilies.map((family) => () => runFamily({ family, seed, cases: perParseFamily, batchSize: 5000, root, timeLimitMs, memoryLimitMiB }, log)),
      ...families.map((family) => () => runFamily({ family, seed, cases: perFamily, batchSize: short ? 150 : 1000, root, timeLimitMs, memoryLimitMiB }, log)),
      () => runCliEnvFamily(seed, cliCases, root, seeds, timeLimitMs, memoryLimitMiB, log),
      () => runHtmlFamily(seed, htmlCases, root, log),
    ];
    const results: Array<FamilyTally & { skipped?: string }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const at = next++;
        results[at] = await tasks[at]!();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
    tallies.push(...results);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const columns = ['cases', 'commands', 'hangs', 'overMemory', 'stackTraces', 'internalErrors', 'readsOutside', 'rawControls', 'otherExits', 'crashes'] as const;
  const total = Object.fromEntries(columns.map((c) => [c, tallies.reduce((n, t) => n + t[c], 0)])) as Record<(typeof columns)[number], number>;
  const rows = tallies.map((t) => [t.family, ...columns.map((c) => (c === 'commands' && t.coreOnly ? '-' : String(t[c]))), String(Math.round(t.maxCpuMs)), String(Math.round(t.maxMs)), String(t.peakRssMiB)]);
  rows.push(['total', ...columns.map((c) => String(total[c])), '', '', '']);
  process.stdout.write(`Probe run: seed ${seed}${short ? ' (--short)' : ''}, ${jobs} families at a time, ${Math.round((Date.now() - started) / 1000)} s wall\n`);
  process.stdout.write(formatTable(['family', 'cases', 'CLI commands', 'hangs >10 s CPU', 'runs >1 GiB', 'stack traces', 'internal errors', 'reads outside', 'raw controls', 'other exits', 'crashes', 'max CPU ms', 'max wall ms', 'peak RSS MiB'], rows));
  for (const t of tallies) if (t.skipped) process.stdout.write(`${t.family}: skipped: ${t.skipped}\n`);
  if (!straceAvailable) process.stdout.write('reads outside: not checked (strace is not installed)\n');
  const failures = tallies.flatMap((t) => t.failures);
  for (const f of failures.slice(0, 50)) process.stdout.write(`FAIL ${f}\n`);
  if (failures.length > 50) process.stdout.write(`... and ${failures.length - 50} more\n`);
  const bad = total.hangs + total.overMemory + total.stackTraces + total.internalErrors + total.readsOutside + total.rawControls + total.otherExits + total.crashes;
  process.stdout.write(bad === 0 ? `Every goal met: ${total.cases} cases, 0 problems.\n` : `${bad} problems in ${total.cases} cases.\n`);
  return bad === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 2;
  },
);
