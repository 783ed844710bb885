/**
 * Runs a family's cases in batch child processes (out/test/fuzz/batchChild.js) under strace
 * when present: a case silent for longer than the time limit is a hang (the child is killed
 * and the batch goes on after it); a child whose peak RSS passes the memory limit is killed too.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDecoys } from './materialize';
import { readsOutside, straceArgs, straceAvailable } from './traceReads';
import { parseFamilies, type CaseResult, type Family, type ParseFamily } from './caseTypes';

export interface FamilyTally {
  family: string;
  cases: number;
  commands: number;
  hangs: number;
  overMemory: number;
  stackTraces: number;
  internalErrors: number;
  readsOutside: number;
  rawControls: number;
  otherExits: number;
  crashes: number;
  maxMs: number;
  maxCpuMs: number;
  peakRssMiB: number;
  failures: string[];
  coreOnly?: boolean;
}

/** A case may use 10 s of CPU time; one that gives no answer for WALL_LIMIT_MS (however loaded the machine) is killed as a hang. */
export const CPU_LIMIT_MS = 10_000;
export const WALL_LIMIT_MS = 60_000;

export function emptyTally(family: string): FamilyTally {
  return { family, cases: 0, commands: 0, hangs: 0, overMemory: 0, stackTraces: 0, internalErrors: 0, readsOutside: 0, rawControls: 0, otherExits: 0, crashes: 0, maxMs: 0, maxCpuMs: 0, peakRssMiB: 0, failures: [] };
}

export function countProblems(t: FamilyTally, r: CaseResult & { sample?: string }): void {
  if (!t.coreOnly) t.commands++;
  t.maxMs = Math.max(t.maxMs, r.ms);
  t.maxCpuMs = Math.max(t.maxCpuMs, r.cpuMs);
  if (r.cpuMs > CPU_LIMIT_MS) {
    t.hangs++;
    t.failures.push(`${r.family}#${r.index} ${r.command}: took ${Math.round(r.cpuMs)} ms of CPU (${r.how})`);
  }
  for (const p of r.problems) {
    if (p === 'stack trace') t.stackTraces++;
    else if (p === 'internal error') t.internalErrors++;
    else if (p === 'raw control characters') t.rawControls++;
    else t.otherExits++;
  }
  if (r.problems.length > 0) t.failures.push(`${r.family}#${r.index} ${r.command}: ${r.problems.join(', ')} (${r.how}) ${JSON.stringify(r.sample ?? '').slice(0, 300)}`);
}

export interface BatchOptions {
  readonly family: Family | ParseFamily;
  readonly seed: number;
  readonly cases: number;
  readonly batchSize: number;
  readonly root: string;
  readonly timeLimitMs: number;
  readonly memoryLimitMiB: number;
}

/** Runs cases [0, cases) of a family; returns its tally. */
export async function runFamily(o: BatchOptions, log: (line: string) => void): Promise<FamilyTally> {
  const tally = emptyTally(o.family);
  // Parser-level families run no CLI command: their column shows '-'.
  if ((parseFamilies as readonly string[]).includes(o.family)) tally.coreOnly = true;
  const child = resolve('out/test/fuzz/batchChild.js');
  for (let from = 0; from < o.cases; ) {
    const to = Math.min(o.cases, from + o.batchSize);
    const root = join(o.root, `${o.family}-${from}`);
    mkdirSync(join(root, 'c'), { recursive: true });
    writeDecoys(root);
    const trace = join(o.root, `${o.family}-${from}.strace`);
    const nodeArgs = [`--max-old-space-size=${o.memoryLimitMiB}`, child, o.family, String(o.seed), String(from), String(to), root];
    const proc = straceAvailable ? spawn('strace', [...straceArgs(trace), process.execPath, ...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let current = from - 1;
    let lastProgress = Date.now();
    let killedFor: string | undefined;
    let buffered = '';
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    proc.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lastProgress = Date.now();
        if (line.startsWith('start ')) {
          current = Number(line.slice(6));
          tally.cases++;
        } else if (line.startsWith('{')) {
          const r = JSON.parse(line) as CaseResult & { rssMiB: number };
          tally.peakRssMiB = Math.max(tally.peakRssMiB, r.rssMiB);
          countProblems(tally, r);
          if (r.rssMiB > o.memoryLimitMiB && killedFor === undefined) {
            killedFor = 'memory';
            proc.kill('SIGKILL');
          }
        } else if (line.startsWith('rss ')) {
          tally.peakRssMiB = Math.max(tally.peakRssMiB, Number(line.slice(4)));
          if (Number(line.slice(4)) > o.memoryLimitMiB) {
            tally.overMemory++;
            tally.failures.push(`${o.family} cases ${from}-${to}: the batch process reached ${line.slice(4)} MiB`);
          }
        } else if (line.startsWith('crash ')) {
          tally.crashes++;
          tally.failures.push(`${o.family}#${current}: the batch process crashed: ${line.slice(6, 400)}`);
        }
      }
    });
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress > o.timeLimitMs && killedFor === undefined) {
        killedFor = 'time';
        proc.kill('SIGKILL');
      }
    }, 250);
    const code = await new Promise<number | null>((done) => proc.on('close', (c) => done(c)));
    clearInterval(watchdog);
    if (killedFor === 'time') {
      tally.hangs++;
      tally.failures.push(`${o.family}#${current}: no answer within ${o.timeLimitMs / 1000} s of wall time (killed)`);
    } else if (killedFor === 'memory') {
      tally.overMemory++;
      tally.failures.push(`${o.family}#${current}: the process passed ${o.memoryLimitMiB} MiB (killed)`);
    } else if (code !== 0 && !tally.failures.some((f) => f.startsWith(`${o.family}#${current}:`))) {
      tally.crashes++;
      tally.failures.push(`${o.family}#${current}: the batch process ended with ${code}: ${stderr.slice(-300)}`);
    } else if (code === 0 && current + 1 < to) {
      // A process that ends "successfully" in the middle of its cases (its event loop ran dry while a case awaited) skipped the rest: a failure, not a smaller count.
      tally.crashes++;
      tally.failures.push(`${o.family}#${current}: the batch process exited 0 after this case, before cases ${current + 1}-${to - 1}: ${stderr.slice(-300)}`);
    }
    if (straceAvailable) {
      const outside = readsOutside(readFileSync(trace, 'utf8'), process.cwd(), [join(root, 'c'), process.cwd(), join(process.cwd(), 'node_modules')]);
      tally.readsOutside += outside.length;
      for (const p of outside) tally.failures.push(`${o.family} cases ${from}-${to}: opened ${p}, outside the case folders`);
      rmSync(trace, { force: true });
    }
    rmSync(root, { recursive: true, force: true });
    log(`  ${o.family}: ${Math.min(to, current + 1)}/${o.cases}`);
    // After a killed or crashed case the batch goes on with the next one.
    from = code === 0 && killedFor === undefined && current + 1 >= to ? to : Math.max(current + 1, from + 1);
  }
  return tally;
}
