import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundProcess, run, runOrThrow } from './processes';

/** code-server 4.100.3 embeds VS Code 1.100.3, the last line that runs on Node 20. */
export const codeServerVersion = '4.100.3';
export const vscodeVersion = '1.100.3';

export interface CodeServerInstall {
  readonly dir: string;
  readonly bin: string;
  /** True when this run installed it, false when an earlier install was reused. */
  readonly installedNow: boolean;
  readonly ms: number;
}

const marker = '.aios-provisioned';

function binPath(dir: string): string {
  return join(dir, 'node_modules', '.bin', 'code-server');
}

async function installedVersion(dir: string): Promise<string | undefined> {
  if (!existsSync(join(dir, marker)) || !existsSync(binPath(dir))) return undefined;
  const result = await run(binPath(dir), ['--version'], { env: { ...process.env, CODE_SERVER_CONFIG: join(dir, 'config.yaml') } });
  return result.code === 0 ? result.output.match(/^(\d+\.\d+\.\d+) \S+ with Code (\d+\.\d+\.\d+)/m)?.[0] : undefined;
}

/**
 * Installs code-server into `dir` (a gitignored cache) unless the right version is there.
 * No network beyond the npm registry: @vscode/ripgrep's download is served from a cache we
 * seed with Debian's rg, and the native modules build against the Debian headers.
 */
export async function provisionCodeServer(dir: string, log: (line: string) => void, signal: AbortSignal): Promise<CodeServerInstall> {
  const started = performance.now();
  const found = await installedVersion(dir);
  if (found?.startsWith(`${codeServerVersion} `)) {
    return { dir, bin: binPath(dir), installedNow: false, ms: performance.now() - started };
  }
  log(
    found
      ? `Replacing code-server (${found}) in ${dir} with ${codeServerVersion}.`
      : `Provisioning code-server ${codeServerVersion} (VS Code ${vscodeVersion}) into ${dir}; this takes a minute or two, once.`,
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'aios-code-server-cache', private: true }, null, 2));
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  seedRipgrepCache();

  const env = {
    ...process.env,
    // The project's .npmrc says ignore-scripts, and npm passes its settings on to child
    // processes: code-server's own postinstall (building its native modules) must run.
    npm_config_ignore_scripts: 'false',
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root otherwise
    npm_config_yes: 'true', // node-pty's build runs `npx node-gyp`
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  await runOrThrow('npm', ['install', '--no-save', `code-server@${codeServerVersion}`], { cwd: dir, env, signal });
  if (!existsSync(join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    throw new Error(
      `code-server's postinstall did not run (lib/vscode/node_modules is missing), so its native modules are not built. ` +
        `If npm refused the install script, allow it (npm install-scripts approve code-server) and run the tests again.`,
    );
  }
  writeFileSync(join(dir, marker), `${codeServerVersion}\n`);
  const version = await installedVersion(dir);
  if (!version?.startsWith(`${codeServerVersion} `)) {
    throw new Error(`code-server was installed into ${dir} but \`code-server --version\` does not report ${codeServerVersion}.`);
  }
  return { dir, bin: binPath(dir), installedNow: true, ms: performance.now() - started };
}

/** @vscode/ripgrep 1.15.11 looks for this archive before it tries to download from GitHub. */
function seedRipgrepCache(): void {
  const cache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive)) return;
  if (!existsSync('/usr/bin/rg')) throw new Error('/usr/bin/rg is missing: install the Debian package ripgrep.');
  mkdirSync(cache, { recursive: true });
  const result = spawnSync('tar', ['czf', archive, '-C', '/usr/bin', 'rg']);
  if (result.status !== 0) throw new Error(`could not create ${archive} from /usr/bin/rg`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerDirs {
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

function baseArgs(dirs: CodeServerDirs): string[] {
  return ['--disable-telemetry', '--disable-update-check', '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

/**
 * Quiet, deterministic user settings for a fresh user-data-dir. With `workspaceTrust`, trust is
 * on and nothing asks: a folder the fresh user data has never trusted opens in restricted mode.
 */
export function writeUserSettings(userDataDir: string, workspaceTrust = false): void {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': workspaceTrust,
    ...(workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {}),
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
  };
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

export async function installExtension(install: CodeServerInstall, dirs: CodeServerDirs, vsix: string, signal: AbortSignal): Promise<string> {
  return runOrThrow(install.bin, [...baseArgs(dirs), '--install-extension', vsix, '--force'], { env: codeServerEnv(install, {}), signal });
}

function codeServerEnv(install: CodeServerInstall, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, CODE_SERVER_CONFIG: join(install.dir, 'config.yaml'), ...extra };
}

export interface RunningCodeServer {
  readonly process: BackgroundProcess;
  readonly port: number;
  readonly origin: string;
}

/**
 * Starts code-server on a free loopback port and resolves once it listens. Workspace trust is
 * disabled (everything trusted) unless `workspaceTrust` asks for VS Code's trust model.
 */
export async function startCodeServer(
  install: CodeServerInstall,
  dirs: CodeServerDirs,
  env: Record<string, string>,
  signal: AbortSignal,
  workspaceTrust = false,
): Promise<RunningCodeServer> {
  const port = await freePort();
  const trust = workspaceTrust ? [] : ['--disable-workspace-trust'];
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...trust, '--disable-getting-started-override', ...baseArgs(dirs)];
  const server = new BackgroundProcess('code-server', install.bin, args, { env: codeServerEnv(install, env) });
  await server.waitForOutput(/HTTP server listening on/, signal);
  return { process: server, port, origin: `http://127.0.0.1:${port}` };
}

export function readPackageVersion(packageJsonPath: string): string {
  return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}
