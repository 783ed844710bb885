import { cliCredentials } from '../registry/credentials/cli';
import type { CredentialStore } from '../registry/credentials/credentials';
import { remoteRegistries } from '../registry/distribution/open';
import { localRegistryDir, LayoutRegistry } from '../registry/layout/layoutRegistry';
import { parseRegistryLocation, type RegistryLocation } from '../registry/reference';
import type { Registry } from '../registry/registry';

/** Opens a remote OCI Distribution registry at `authority` (host[:port]); supplied by the OCI client. */
export type RemoteRegistryFactory = (authority: string) => Registry;

export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
}

/**
 * The `Registry` for a location: the embedded layout under `root`, or an OCI Distribution
 * registry with `credentials` (default: the CLI's, from the environment and docker's login).
 */
export function openRegistry(location: RegistryLocation, root: string, options: { env?: NodeJS.ProcessEnv; remote?: RemoteRegistryFactory; credentials?: CredentialStore } = {}): Registry {
  if (location.kind === 'local') return new LayoutRegistry(localRegistryDir(root, options.env));
  if (options.remote) return options.remote(location.authority);
  const env = options.env ?? process.env;
  return remoteRegistries({ credentials: options.credentials ?? cliCredentials(env), env })(location.authority);
}

/** Parses `--registry` / `release.registry`, throwing a clear message. */
export function registryLocationOf(text: string): RegistryLocation {
  const parsed = parseRegistryLocation(text);
  if (!parsed.ok) throw new RegistryUnavailableError(parsed.error);
  return parsed.value;
}
