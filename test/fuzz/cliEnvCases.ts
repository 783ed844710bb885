/**
 * The CLI environment family: one child process per case (`node dist/cli.js ...`), with odd
 * current folders (deleted, `/`), environment variables, arguments, and stdout to /dev/full or
 * a pipe closed at once; also use cases that are devices or FIFOs under the commands that
 * start runs. Time limit, peak RSS (/usr/bin/time), strace and output checks per case.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { caseSeed, Rng } from './rng';
import { hostileString } from './hostileText';
import { materialize, writeDecoys } from './materialize';
import { outputProblems } from './outputChecks';
import { readsOutside, straceArgs, straceAvailable } from './traceReads';
import { countProblems, emptyTally, type FamilyTally } from './batchRunner';
import type { Seeds } from './caseFactory';

const timeAvailable = existsSync('/usr/bin/time');

interface EnvCase {
  readonly how: string;
  readonly argv: string[];
  readonly env: Record<string, string | undefined>;
  readonly cwd: 'case' | 'root-folder' | 'deleted';
  readonly stdout: 'pipe' | 'full' | 'closed';
}

function envCase(rng: Rng): EnvCase {
  const argv = rng.pick<() => string[]>([
    () => ['inspect', 'm.onnx', ...(rng.chance(0.5) ? ['--json'] : [])],
    () => ['validate', rng.pick(['x.usecase.yaml', '.', 'zero-link.usecase.yaml', 'fifo.usecase.yaml'])],
    () => ['targets', ...(rng.chance(0.5) ? ['--json'] : [])],
    () => ['diff', 'm.onnx', 'm.onnx'],
    () => ['graph', 'm.onnx', '--html', rng.pick(['out.html', '/proc/x.html', 'dir', '/dev/full', 'nowhere/out.html'])],
    () => [rng.pick(['run', 'quantize', 'profile', 'release']), rng.pick(['zero-link.usecase.yaml', 'fifo.usecase.yaml', 'random-link.usecase.yaml', 'dir'])],
    () => [rng.pick(['inspect', 'validate', 'diff', 'frobnicate', '--nope', '']), hostileString(rng).slice(0, 2000)],
    () => ['inspect', 'm.onnx', '--input', `${hostileString(rng).slice(0, 200)}=1,${rng.pick(['-1', 'x', '99999999999999999999', ''])}`],
    () => [rng.pick(['--version', '--help', 'help', 'inspect --help'])],
    // Careless command lines: '--', repeated options, option values that look like options, paths with newlines, folders and streams for files.
    () => rng.pick([['inspect', '--', 'm.onnx'], ['inspect', '--', '--json'], ['inspect', 'm.onnx', '--json', '--json'], ['inspect', '--input', '--json', 'm.onnx'], ['inspect', 'm.onnx', '--input', 'x=1', '--input', 'x=2'], ['diff', 'm.onnx', '--', '-m.onnx'], ['graph', 'm.onnx', '--html', '--json'], ['graph', 'm.onnx', '--html', 'a.html', '--html', 'b.html']]),
    () => [rng.pick(['inspect', 'validate', 'graph', 'run', 'profile']), rng.pick(['new\nline.onnx', 'dir', 'dir/', '.', '-', '/dev/stdin', '/proc/self/fd/0', 'file.txt', 'm.onnx/']), ...(rng.chance(0.5) ? ['--html', 'o.html'] : [])],
  ])().map((a) => a.replace(/\0/g, '')); // an argument cannot hold NUL: the kernel ends it there
  const env: Record<string, string | undefined> = {};
  const envKind = rng.int(10);
  if (envKind === 0) env['HOME'] = undefined;
  if (envKind === 1) env['HOME'] = rng.pick(['/nonexistent', '/dev/null', '/']);
  if (envKind === 2) env['AIOS_RUNS_DIR'] = rng.pick(['/dev/null', '/proc/nope', 'x'.repeat(5000), 'file.txt']);
  if (envKind === 3) env['AIOS_CONFIG_DIR'] = rng.pick(['/dev/zero', '/nonexistent', '']);
  if (envKind === 4) Object.assign(env, { LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8', TZ: 'Mars/Olympus', COLUMNS: '-1', TERM: 'xterm-256color' });
  if (envKind === 5) env['XDG_CONFIG_HOME'] = rng.pick(['relative/path', '/dev/full', '']);
  if (envKind === 6) Object.assign(env, { LANG: rng.pick(['C', 'POSIX', 'xx_XX.bogus', '']), LC_ALL: rng.pick(['C', 'bogus', undefined]), TERM: rng.pick(['dumb', '', 'xterm-256color', undefined]), NO_COLOR: rng.pick(['1', '', undefined]), FORCE_COLOR: rng.pick(['3', undefined]) });
  if (envKind === 7) Object.assign(env, { COLUMNS: rng.pick(['0', '-1', '99999999999', 'abc', '1e999', '']), LINES: rng.pick(['0', '-1', '99999999999']) });
  const cwd = rng.pick(['case', 'case', 'case', 'root-folder', 'deleted'] as const);
  const stdout = rng.pick(['pipe', 'pipe', 'pipe', 'full', 'closed'] as const);
  return { how: `argv ${JSON.stringify(argv).slice(0, 120)}, env ${JSON.stringify(env)}, cwd ${cwd}, stdout ${stdout}`, argv, env, cwd, stdout };
}

/** Runs `cases` CLI-environment cases, one child each. */
export async function runCliEnvFamily(seed: number, cases: number, root: string, seeds: Seeds, timeLimitMs: number, memoryLimitMiB: number, log: (l: string) => void): Promise<FamilyTally> {
  const tally = emptyTally('cli-env');
  const cli = resolve('dist/cli.js');
  for (let i = 0; i < cases; i++) {
    const rng = new Rng(caseSeed(seed, 'cli-env', i));
    const c = envCase(rng);
    const caseRoot = join(root, `cli-${i}`);
    const folder = join(caseRoot, 'c', 'case');
    writeDecoys(caseRoot);
    materialize(folder, [
      { path: 'm.onnx', bytes: seeds.models[i % seeds.models.length]! },
      { path: 'model.onnx', bytes: seeds.models[0]! },
      { path: 'x.usecase.yaml', bytes: new TextEncoder().encode(seeds.useCases[i % seeds.useCases.length]!) },
      { path: 'zero-link.usecase.yaml', symlink: '/dev/zero' },
      { path: 'random-link.usecase.yaml', symlink: '/dev/urandom' },
      { path: 'fifo.usecase.yaml', fifo: true },
      { path: 'file.txt', bytes: new Uint8Array(1) },
      { path: 'new\nline.onnx', bytes: seeds.models[0]! },
      { path: 'dir/x', bytes: new Uint8Array(1) },
    ]);
    const trace = join(caseRoot, 'trace.txt');
    const rssFile = join(caseRoot, 'rss.txt');
    const env: NodeJS.ProcessEnv = { ...process.env, AIOS_RUNS_DIR: join(folder, '.aios', 'runs') };
    for (const [k, v] of Object.entries(c.env)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const cwd = c.cwd === 'root-folder' ? '/' : folder;
    const inner = [...(timeAvailable ? ['/usr/bin/time', '-f', '%M %U %S', '-o', rssFile] : []), process.execPath, cli, ...c.argv];
    const command = straceAvailable ? ['strace', ...straceArgs(trace), ...inner] : inner;
    // A deleted current folder: the shell enters it, removes it, then runs the command there.
    const gone = join(caseRoot, 'gone');
    if (c.cwd === 'deleted') mkdirSync(gone);
    const [file, args] = c.cwd === 'deleted' ? ['sh', ['-c', 'cd "$0" && rmdir "$0" && exec "$@"', gone, ...command]] : [command[0]!, command.slice(1)];
    const full = c.stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
    const started = performance.now();
    const proc = spawn(file as string, args as string[], { cwd, env, stdio: ['ignore', full ?? 'pipe', 'pipe'] });
    // Decoded as a UTF-8 terminal would: a byte 0x80-0x9F inside a multi-byte character is not a C1 control there.
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    if (c.stdout === 'closed') proc.stdout?.destroy();
    else proc.stdout?.on('data', (d: Buffer) => out.push(d));
    proc.stderr?.on('data', (d: Buffer) => err.push(d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      proc.kill('SIGKILL');
    }, timeLimitMs);
    const code = await new Promise<number | null>((done) => proc.on('close', (x) => done(x)));
    clearTimeout(timer);
    const stdout = Buffer.concat(out).toString('utf8');
    const stderr = Buffer.concat(err).toString('utf8');
    if (full !== undefined) closeSync(full);
    const ms = performance.now() - started;
    tally.cases++;
    // /usr/bin/time's last line: peak RSS in KiB, user and system seconds.
    const [rssKiB = 0, user = 0, system = 0] = timeAvailable && existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
    const problems = killed ? [] : outputProblems(code, stdout, stderr);
    if (killed) {
      tally.hangs++;
      tally.failures.push(`cli-env#${i}: no answer within ${timeLimitMs / 1000} s of wall time (killed) (${c.how})`);
    }
    countProblems(tally, { family: 'cli-env', index: i, how: c.how, command: c.argv.join(' ').slice(0, 200), exitCode: code, ms, cpuMs: (user + system) * 1000, problems, ...{ sample: stderr.slice(0, 300) } });
    tally.peakRssMiB = Math.max(tally.peakRssMiB, Math.round(rssKiB / 1024));
    if (rssKiB > memoryLimitMiB * 1024) {
      tally.overMemory++;
      tally.failures.push(`cli-env#${i}: peak RSS ${Math.round(rssKiB / 1024)} MiB (${c.how})`);
    }
    if (straceAvailable && existsSync(trace)) {
      const outside = readsOutside(readFileSync(trace, 'utf8'), cwd, [join(caseRoot, 'c'), process.cwd(), join(process.cwd(), 'node_modules')]).filter((p) => p !== rssFile);
      tally.readsOutside += outside.length;
      for (const p of outside) tally.failures.push(`cli-env#${i}: opened ${p} (${c.how})`);
    }
    rmSync(caseRoot, { recursive: true, force: true });
    if ((i + 1) % 10 === 0 || i + 1 === cases) log(`  cli-env: ${i + 1}/${cases}`);
  }
  return tally;
}
