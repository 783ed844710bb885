import type * as vscode from 'vscode';
import type { CredentialStore, RegistryCredentials } from '../../core/registry/credentials/credentials';

const keyOf = (host: string) => `aios.registryCredentials/${host.toLowerCase()}`;

/**
 * Registry credentials in VS Code's SecretStorage (the OS keychain), one entry per registry
 * host. The editor's registry clients and the jobs it queues read them through this store;
 * they never go into settings, logs or run records.
 */
export class SecretStorageCredentials implements CredentialStore {
  readonly description = "VS Code's secret storage (AIOS: Set Registry Credentials…)";

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(host: string): Promise<RegistryCredentials | undefined> {
    const text = await this.secrets.get(keyOf(host));
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<{ kind: string; username: string; password: string; token: string }>;
      if (value.kind === 'basic' && typeof value.username === 'string' && typeof value.password === 'string') return { kind: 'basic', username: value.username, password: value.password };
      if (value.kind === 'token' && typeof value.token === 'string') return { kind: 'token', token: value.token, refresh: false };
    } catch {
      // A damaged entry is treated as none: the 401 that follows offers to set it again.
    }
    return undefined;
  }

  async set(host: string, credentials: RegistryCredentials): Promise<void> {
    const value = credentials.kind === 'basic' ? { kind: 'basic', username: credentials.username, password: credentials.password } : { kind: 'token', token: credentials.token };
    await this.secrets.store(keyOf(host), JSON.stringify(value));
  }

  async delete(host: string): Promise<void> {
    await this.secrets.delete(keyOf(host));
  }
}
