import { localRegistryDir, LayoutRegistry } from '../registry/layout/layoutRegistry';
import { formatRegistryLocation, parseRegistryLocation, type RegistryLocation } from '../registry/reference';
import type { Registry } from '../registry/registry';

/** Opens a remote OCI Distribution registry at `authority` (host[:port]); supplied by the OCI client. */
export type RemoteRegistryFactory = (authority: string) => Registry;

export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
}

/** The `Registry` for a location: the embedded layout under `root`, or a remote one through `remote`. */
export function openRegistry(location: RegistryLocation, root: string, options: { env?: NodeJS.ProcessEnv; remote?: RemoteRegistryFactory } = {}): Registry {
  if (location.kind === 'local') return new LayoutRegistry(localRegistryDir(root, options.env));
  if (!options.remote) throw new RegistryUnavailableError(`remote registries (${formatRegistryLocation(location)}) are not available in this version yet: release to 'local' (the embedded registry)`);
  return options.remote(location.authority);
}

/** Parses `--registry` / `release.registry`, throwing a clear message. */
export function registryLocationOf(text: string): RegistryLocation {
  const parsed = parseRegistryLocation(text);
  if (!parsed.ok) throw new RegistryUnavailableError(parsed.error);
  return parsed.value;
}
