/**
 * `npm start` (issue 14 item 8): the build (`node esbuild.mjs`), then `aios run samples` as the
 * user runs it (the shipped CLI bundle, its job process, the report), each round on a fresh copy
 * of samples/ with a fresh signing key, so every release is really packed, signed and pushed.
 * The per-stage share comes from the same pipeline run in this process with each stage timed;
 * the baseline, measured in the same rounds, is validate + inspect alone (what `npm start` did
 * before the other stages landed). Goals: npm start <= 300 s, the pipeline alone <= 120 s.
 * RUN_BENCH_ROUNDS (default 3).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchTable } from './harness';

export const name = 'run';

const rounds = Number(process.env['RUN_BENCH_ROUNDS'] ?? 3);
const repo = join(__dirname, '..', '..');
const s = (ms: number) => (ms / 1000).toFixed(1);

function timed(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number }> {
  const t = performance.now();
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, env, maxBuffer: 1 << 26 }, (error) => resolve({ ms: performance.now() - t, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 }));
  });
}

/** A fresh copy of samples/ (its own registry and runs) and a fresh config folder (signing key). */
function freshWorkspace(): { dir: string; env: NodeJS.ProcessEnv; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'aios-run-bench-'));
  const dir = join(root, 'samples');
  cpSync(join(repo, 'samples'), dir, { recursive: true, filter: (src) => !/\.(int8|fp16|int4-weight)\.onnx$/.test(src) && !src.includes('/.aios') });
  mkdirSync(join(dir, '.aios'), { recursive: true });
  const config = join(root, 'config');
  return { dir, env: { ...process.env, AIOS_CONFIG_DIR: config }, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** The child bundled like the shipped CLI (dynamic imports resolved, beside dist/ so workers and bundles are found). */
async function bundleChild(): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(repo, 'dist', 'bench-run-child.js');
  await esbuild.build({ entryPoints: [join(repo, 'bench', 'runChild.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'es2022', external: ['vscode', 'onnxruntime-node'], outfile, logLevel: 'warning' });
  return outfile;
}

interface ChildResult {
  readonly ms: number;
  readonly totals: Record<string, number>;
  readonly statuses: string[];
}

/** The pipeline in a fresh process on a fresh workspace; `baseline`: validate + inspect only. */
async function inProcess(child: string, mode: 'full' | 'baseline'): Promise<ChildResult> {
  const ws = freshWorkspace();
  try {
    return await new Promise<ChildResult>((resolve, reject) => {
      execFile(process.execPath, [child, ws.dir, mode], { env: ws.env, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
        if (error) return reject(new Error(`${child} ${mode} failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildResult);
      });
    });
  } finally {
    ws.dispose();
  }
}

export async function run(): Promise<BenchTable[]> {
  const build: number[] = [];
  const cli: number[] = [];
  const codes: number[] = [];
  const full: number[] = [];
  const baseline: number[] = [];
  const perStage = new Map<string, number[]>();
  let statuses: string[] = [];
  for (let round = 0; round < rounds; round++) {
    // Built first in each round: the child bundle is made after it, from the same sources.
    build.push((await timed(process.execPath, [join(repo, 'esbuild.mjs')], repo, process.env)).ms);
    const ws = freshWorkspace();
    try {
      const r = await timed(process.execPath, [join(repo, 'dist', 'cli.js'), 'run', '.', '--json'], ws.dir, ws.env);
      cli.push(r.ms);
      codes.push(r.code);
    } finally {
      ws.dispose();
    }
    const child = await bundleChild();
    const inside = await inProcess(child, 'full');
    full.push(inside.ms);
    statuses = inside.statuses;
    for (const [stage, ms] of Object.entries(inside.totals)) perStage.set(stage, [...(perStage.get(stage) ?? []), ms]);
    baseline.push((await inProcess(child, 'baseline')).ms);
  }
  const startMs = median(build) + median(cli);
  const stageMedians = [...perStage].map(([stage, list]) => [stage, median(list)] as const);
  const stageSum = stageMedians.reduce((sum, [, ms]) => sum + ms, 0);
  return [
    {
      title: `npm start on this machine: build + aios run samples (6 use cases), median of ${rounds} rounds`,
      columns: ['case', 'median s', 'min s', 'max s', 'goal', 'met'],
      rows: [
        ['build (node esbuild.mjs)', s(median(build)), s(Math.min(...build)), s(Math.max(...build)), '', ''],
        ['aios run samples (CLI, job process, report)', s(median(cli)), s(Math.min(...cli)), s(Math.max(...cli)), '<= 120 s', median(cli) <= 120_000 ? 'yes' : 'NO'],
        ['npm start (build + run)', s(startMs), '', '', '<= 300 s', startMs <= 300_000 ? 'yes' : 'NO'],
        ['pipeline in one process, every stage (no report)', s(median(full)), s(Math.min(...full)), s(Math.max(...full)), '', ''],
        ['baseline: validate + inspect only', s(median(baseline)), s(Math.min(...baseline)), s(Math.max(...baseline)), '', ''],
      ],
      notes: [
        `aios run exit codes: ${codes.join(', ')} (0 = every gate passed); use-case statuses of the in-process run: ${statuses.join(', ')}`,
        `every stage / baseline: ${(median(full) / median(baseline)).toFixed(1)}x`,
      ],
    },
    {
      title: 'Share of each stage in the one-process pipeline (medians over rounds, all use cases together)',
      columns: ['stage', 'median s', 'share'],
      rows: stageMedians.map(([stage, ms]) => [stage, s(ms), `${((ms / stageSum) * 100).toFixed(0)}%`]),
      notes: ['release includes the replay of dataLoop.data; profile includes the ECU load of each use case that names deployment.ecu'],
    },
  ];
}
