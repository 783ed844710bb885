import { existsSync } from 'node:fs';
import { run, runOrThrow } from './processes';

/**
 * Debian packages the test suites need: Chromium to drive VS Code and the exported graph
 * pages (unit tests too), ripgrep for code-server's search (also seeds @vscode/ripgrep), the
 * headers code-server's native modules build against, the ONNX conformance data the suites
 * open as real models, and onnx for /usr/bin/python3 as an independent reference.
 */
export const requiredPackages: readonly string[] = [
  'chromium',
  'ripgrep',
  'libkrb5-dev',
  'libsecret-1-dev',
  'libxkbfile-dev',
  'libx11-dev',
  'libonnx-testdata',
  'python3-onnx',
  // A real OCI Distribution registry (2.8), skopeo as the independent OCI client, htpasswd for its basic auth.
  'docker-registry',
  'skopeo',
  'apache2-utils',
  // The probe suite (npm run fuzz, --short in npm test): file access per case, and peak RSS and CPU time per CLI process.
  'strace',
  'time',
];

export class SetupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function isInstalled(pkg: string): Promise<boolean> {
  const result = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return result.code === 0 && result.output.includes('install ok installed');
}

/**
 * Installs what is missing when we are root on Debian; otherwise stops with the command to run.
 * Returns the packages it installed.
 */
export async function ensureSystemPackages(log: (line: string) => void): Promise<string[]> {
  const command = `apt-get update && apt-get install -y ${requiredPackages.join(' ')}`;
  if (!existsSync('/usr/bin/dpkg-query')) {
    throw new SetupError(
      `The integration suite provisions itself on Debian or Ubuntu (dpkg-query not found). ` +
        `Install the equivalents of: ${requiredPackages.join(', ')}; or run it on Debian: ${command}`,
      2,
    );
  }
  const missing: string[] = [];
  for (const pkg of requiredPackages) if (!(await isInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return [];

  const install = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new SetupError(
      `The integration suite needs these system packages: ${missing.join(' ')}.\n` +
        `Install them once, then run the tests again:\n\n  sudo sh -c '${install}'\n`,
      2,
    );
  }
  log(`Installing missing system packages with apt-get: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runOrThrow('apt-get', ['update'], { env, stream: true });
  await runOrThrow('apt-get', ['install', '-y', ...missing], { env, stream: true });
  return missing;
}
