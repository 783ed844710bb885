/** Set by the runner on code-server for the probe session. */
export const probeEnv = {
  extensionsDir: 'AIOS_TEST_EXTENSIONS_DIR',
  repoRoot: 'AIOS_TEST_REPO_ROOT',
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the probe runs only under npm run test:integration`);
  return value;
}
