import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bridgeTokenEnv, bridgeUrlEnv } from '../bridge/protocol';
import { probeEnv } from '../probe/probeEnv';
import { reloadStateEnv } from '../reload/state';
import { BridgeServer } from './bridgeServer';
import { codeServerVersion, installExtension, provisionCodeServer, writeUserSettings, type CodeServerDirs, type CodeServerInstall } from './codeServer';
import { bold, red, Report } from './report';
import { runSession, type SessionOutcome, type SessionSpec } from './session';
import { ensureSystemPackages, SetupError } from './systemPackages';
import { packageVsix } from './vsix';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const cacheDir = join(repoRoot, '.vscode-test');
const outDir = join(repoRoot, 'out', 'test', 'integration');

const minutes = (name: string, fallback: number): number => Number(process.env[name] ?? fallback) * 60_000;
const totalTimeoutMs = minutes('AIOS_IT_TIMEOUT_MIN', 25);
const sessionTimeoutMs = minutes('AIOS_IT_SESSION_TIMEOUT_MIN', 8);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Per run, so runs in the same working tree (several engineers, one machine) never share state. */
const runDir = join(cacheDir, 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);

/** Leftovers of runs that were killed before they could clean up (a day old or more). */
function removeStaleRuns(): void {
  const runs = join(cacheDir, 'runs');
  if (!existsSync(runs)) return;
  for (const entry of readdirSync(runs)) {
    const path = join(runs, entry);
    if (Date.now() - statSync(path).mtimeMs > 24 * 3600_000) rmSync(path, { recursive: true, force: true });
  }
}

function freshDirs(name: string, workspaceTrust = false): CodeServerDirs {
  const dirs = { userDataDir: join(runDir, name, 'user-data'), extensionsDir: join(runDir, name, 'extensions') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  writeUserSettings(dirs.userDataDir, workspaceTrust);
  return dirs;
}

/** Counts a session that did not finish its mocha run cleanly as a failure, with the reason. */
function judge(outcome: SessionOutcome, report: Report, label: string): void {
  switch (outcome.kind) {
    case 'exited':
      if (!report.sawEnd) report.setupFailure(`${label}: the tests module ended (exit ${outcome.code}) before mocha reported its end`, 'see the log above');
      else if (outcome.code !== 0 && report.sessionFailures === 0) report.setupFailure(`${label}: VS Code reported exit code ${outcome.code}`, 'see the log above');
      return;
    case 'timeout':
      report.setupFailure(
        `${label}: timed out while ${outcome.phase}${report.running ? `, in the test "${report.running}"` : ''}`,
        `No result after the time limit (AIOS_IT_SESSION_TIMEOUT_MIN=${sessionTimeoutMs / 60_000}, AIOS_IT_TIMEOUT_MIN=${totalTimeoutMs / 60_000}). ` +
          `code-server and Chromium were stopped. A test waiting for something that never happens is the usual cause: see the last lines above.`,
      );
      return;
    case 'crashed':
      report.setupFailure(`${label}: ${outcome.message.split('\n')[0] ?? ''}`, outcome.message.split('\n').slice(1).join('\n') || 'see the log above');
      return;
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const abort = new AbortController();
  const overall = setTimeout(() => abort.abort(), totalTimeoutMs);
  const onSignal = (): void => {
    console.log(red('\nInterrupted: stopping code-server and Chromium…'));
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const report = new Report();
  const timings: string[] = [];
  const bridge = new BridgeServer(join(repoRoot, 'test-results'), (event) => report.onTestEvent(event));
  const workspaceParent = mkdtempSync(join(tmpdir(), 'aios-it-'));
  const workspace = join(workspaceParent, 'samples');
  const log = (line: string): void => console.log(line);
  let setupStop: number | undefined;

  try {
    try {
      await ensureSystemPackages(log);
    } catch (error) {
      if (error instanceof SetupError) {
        console.error(red(error.message));
        setupStop = error.exitCode;
        return error.exitCode;
      }
      throw error;
    }

    let install: CodeServerInstall;
    try {
      install = await provisionCodeServer(join(cacheDir, 'code-server'), log, abort.signal);
    } catch (error) {
      report.setupFailure(`provisioning code-server ${codeServerVersion}`, abort.signal.aborted ? 'timed out' : String(error instanceof Error ? error.message : error));
      return 1;
    }
    const provisioned = `${install.installedNow ? 'installed' : 'reused'} in ${seconds(install.ms)}`;
    timings.push(`code-server ${codeServerVersion}: ${provisioned} (${relative(repoRoot, install.dir)})`);
    log(`code-server ${codeServerVersion}: ${provisioned}`);

    removeStaleRuns();
    cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
    await bridge.start();
    const bridgeEnv = { [bridgeUrlEnv]: bridge.url, [bridgeTokenEnv]: bridge.token };
    const session = async (spec: Omit<SessionSpec, 'install' | 'workspace' | 'timeoutMs'> & { workspace?: string }): Promise<void> => {
      report.startSession(spec.label);
      const t = performance.now();
      const outcome = await runSession({ workspace, ...spec, install, timeoutMs: sessionTimeoutMs }, bridge, report, abort.signal);
      judge(outcome, report, spec.label);
      timings.push(`${spec.label}: ${seconds(performance.now() - t)}`);
    };

    const only = process.env.AIOS_IT_SESSIONS?.split(',');
    if (only) console.log(red(`AIOS_IT_SESSIONS=${only.join(',')}: running only these sessions (of dev, reload, restricted, vsix); the others are NOT RUN.`));
    if (process.env.AIOS_IT_GREP) console.log(red(`AIOS_IT_GREP=${process.env.AIOS_IT_GREP}: running only the tests whose title matches; the others are NOT RUN.`));

    // 1. The extension from this working tree, in development mode, with the full suite.
    if (!only || only.includes('dev')) await session({
      label: 'VS Code with the extension under development',
      dirs: freshDirs('dev'),
      developmentPath: repoRoot,
      testsPath: join(outDir, 'index.js'),
      env: bridgeEnv,
    });

    // 2. A real window reload: the tests module records a view's state, reloads the page and
    // checks, in the next extension host, what the restored window shows.
    if (abort.signal.aborted) throw new Error('aborted');
    if (!only || only.includes('reload')) {
      const stateDir = join(runDir, 'reload');
      mkdirSync(stateDir, { recursive: true });
      const reloadWorkspace = join(workspaceParent, 'reload', 'samples');
      cpSync(join(repoRoot, 'samples'), reloadWorkspace, { recursive: true });
      await session({
        label: 'VS Code window reload',
        dirs: freshDirs('reload'),
        workspace: reloadWorkspace,
        developmentPath: repoRoot,
        testsPath: join(outDir, 'reload', 'index.js'),
        env: { ...bridgeEnv, [reloadStateEnv]: join(stateDir, 'state.json') },
      });
    }

    // 3. Restricted mode: workspace trust on, a folder never trusted, a short suite of its own.
    if (abort.signal.aborted) throw new Error('aborted');
    if (!only || only.includes('restricted')) {
      const untrusted = join(workspaceParent, 'untrusted', 'samples');
      cpSync(join(repoRoot, 'samples'), untrusted, { recursive: true });
      await session({
        label: 'VS Code in a restricted (untrusted) workspace',
        dirs: freshDirs('restricted', true),
        workspace: untrusted,
        workspaceTrust: true,
        developmentPath: repoRoot,
        testsPath: join(outDir, 'restricted', 'index.js'),
        env: bridgeEnv,
      });
    }

    // 4. The packaged .vsix installed into a separate extensions dir, checked by a probe.
    if (abort.signal.aborted) throw new Error('aborted');
    if (only && !only.includes('vsix')) return 0;
    report.startSession('Packaging and installing the .vsix');
    const vsixPath = join(runDir, 'aios-workbench-linux-x64.vsix');
    const dirs = freshDirs('vsix');
    try {
      const vsix = await packageVsix(repoRoot, vsixPath, abort.signal);
      timings.push(`npm run package: ${seconds(vsix.ms)}, ${(vsix.bytes / 1024 / 1024).toFixed(1)} MiB (${relative(repoRoot, vsix.path)})`);
      log(`packaged ${relative(repoRoot, vsix.path)}: ${(vsix.bytes / 1024 / 1024).toFixed(1)} MiB in ${seconds(vsix.ms)}`);
      const t = performance.now();
      await installExtension(install, dirs, vsix.path, abort.signal);
      timings.push(`code-server --install-extension: ${seconds(performance.now() - t)}`);
    } catch (error) {
      report.setupFailure('packaging and installing the .vsix', error instanceof Error ? error.message : String(error));
      return 1;
    }
    const probeDir = join(outDir, 'probe');
    copyFileSync(join(repoRoot, 'test', 'integration', 'probe', 'package.json'), join(probeDir, 'package.json'));
    await session({
      label: 'VS Code with the packaged .vsix installed (probe)',
      dirs,
      developmentPath: probeDir,
      testsPath: join(probeDir, 'index.js'),
      env: { ...bridgeEnv, [probeEnv.extensionsDir]: dirs.extensionsDir, [probeEnv.repoRoot]: repoRoot },
    });
    return 0;
  } catch (error) {
    report.setupFailure('integration runner', error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  } finally {
    clearTimeout(overall);
    await bridge.stop();
    rmSync(workspaceParent, { recursive: true, force: true });
    if (process.env.AIOS_IT_KEEP) console.log(`AIOS_IT_KEEP: kept ${relative(repoRoot, runDir)} (user data, extensions, .vsix)`);
    else rmSync(runDir, { recursive: true, force: true });
    if (setupStop === undefined) printEnd(report, timings, started);
  }
}

function printEnd(report: Report, timings: string[], started: number): void {
  console.log(`\n${bold('Timings')}`);
  for (const line of timings) console.log(`  ${line}`);
  console.log(`  total: ${seconds(performance.now() - started)}`);
  if (report.versions.length > 0) console.log(`VS Code versions: ${report.versions.join('; ')}`);
  report.printSummary();
  process.exitCode = report.failed > 0 || report.passed === 0 ? 1 : 0;
}

void main().then((code) => {
  if (code !== 0) process.exitCode = code;
});
