/**
 * Registry credentials and where they come from. The CLI reads docker's config and the
 * environment (src/core/registry/credentials/); the editor implements `CredentialStore` over
 * VS Code's SecretStorage. Credentials never go into settings, logs, errors or run records.
 */
export type RegistryCredentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** A token to present as is: docker's `registrytoken`, or an OAuth2 refresh token (`identitytoken`). */
  | { readonly kind: 'token'; readonly token: string; readonly refresh: boolean };

export interface CredentialStore {
  /** Credentials for `host` (`name[:port]`, as in `oci://host/...`), or undefined when none are known. */
  get(host: string, signal?: AbortSignal): Promise<RegistryCredentials | undefined>;
  /** Where the store looks, for messages ("docker config ~/.docker/config.json, environment"). */
  readonly description: string;
}

/** The first store that knows the host wins. */
export function chainCredentialStores(stores: readonly CredentialStore[]): CredentialStore {
  return {
    description: stores.map((s) => s.description).join(', ') || 'no credential store',
    async get(host, signal) {
      for (const store of stores) {
        const found = await store.get(host, signal);
        if (found) return found;
      }
      return undefined;
    },
  };
}

export const noCredentials: CredentialStore = { description: 'no credentials', get: async () => undefined };
