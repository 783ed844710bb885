import type { CredentialStore, RegistryCredentials } from './credentials';

/**
 * Credentials from the environment, for CI and scripts:
 * `AIOS_REGISTRY_<HOST>_USERNAME` / `_PASSWORD` (or `_TOKEN`) for one registry, where <HOST> is
 * the host and port upper-cased with every other character as `_`
 * (`registry.example.com:5000` -> `AIOS_REGISTRY_REGISTRY_EXAMPLE_COM_5000_USERNAME`);
 * `AIOS_REGISTRY_USERNAME` / `AIOS_REGISTRY_PASSWORD` (or `AIOS_REGISTRY_TOKEN`) for any registry.
 */
export function environmentCredentials(env: Readonly<Record<string, string | undefined>>): CredentialStore {
  return {
    description: 'environment (AIOS_REGISTRY_*)',
    async get(host) {
      return fromPrefix(env, `AIOS_REGISTRY_${hostVariable(host)}_`) ?? fromPrefix(env, 'AIOS_REGISTRY_');
    },
  };
}

export function hostVariable(host: string): string {
  return host.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function fromPrefix(env: Readonly<Record<string, string | undefined>>, prefix: string): RegistryCredentials | undefined {
  const token = env[`${prefix}TOKEN`];
  if (token) return { kind: 'token', token, refresh: false };
  const username = env[`${prefix}USERNAME`];
  const password = env[`${prefix}PASSWORD`];
  if (username && password !== undefined) return { kind: 'basic', username, password };
  return undefined;
}
