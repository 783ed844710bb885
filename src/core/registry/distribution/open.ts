import { cliCredentials } from '../credentials/cli';
import type { CredentialStore } from '../credentials/credentials';
import type { Registry } from '../registry';
import { OciRegistry } from './client';
import { isLoopbackHost } from './transport';

export interface RemoteRegistryOptions {
  readonly credentials: CredentialStore;
  /** Reads `AIOS_REGISTRY_PLAIN_HTTP`: hosts (`host[:port]`, comma-separated) spoken to over plain HTTP besides loopback. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Request lines (method, path, status); never credentials. */
  readonly log?: (line: string) => void;
}

/**
 * Opens OCI Distribution registries by authority (`host[:port]` of `oci://host[:port]/...`):
 * HTTPS, except loopback hosts and those listed in `AIOS_REGISTRY_PLAIN_HTTP`.
 */
export function remoteRegistries(options: RemoteRegistryOptions): (authority: string) => Registry {
  const plain = new Set(
    (options.env?.['AIOS_REGISTRY_PLAIN_HTTP'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ''),
  );
  return (authority) => new OciRegistry({ host: authority, credentials: options.credentials, plainHttp: isLoopbackHost(authority) || plain.has(authority.toLowerCase()), log: options.log });
}

/** The CLI's (and the job processes'): credentials from the environment, then docker's login. */
export function cliRemoteRegistries(env: Readonly<Record<string, string | undefined>> = process.env, log?: (line: string) => void): (authority: string) => Registry {
  return remoteRegistries({ credentials: cliCredentials(env), env, log });
}
