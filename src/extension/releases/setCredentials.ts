import * as vscode from 'vscode';
import { parseRegistryLocation } from '../../core/registry/reference';
import type { SecretStorageCredentials } from './secretCredentials';

/** `host[:port]` of what the user typed (`oci://host:port/ns`, `host:port`), or an error to show. */
export function registryHostOf(text: string): { host: string } | { error: string } {
  const trimmed = text.trim();
  if (trimmed.includes('@')) return { error: 'Write the registry only (host[:port]); the user name and password are asked next.' };
  const parsed = parseRegistryLocation(trimmed.startsWith('oci://') ? trimmed : `oci://${trimmed}`);
  if (!parsed.ok) return { error: parsed.error };
  if (parsed.value.kind !== 'oci') return { error: 'The embedded registry needs no credentials: name a remote registry (host[:port]).' };
  return { host: parsed.value.authority };
}

/**
 * `AIOS: Set Registry Credentials…`: asks the registry, the user name (empty for a token) and the
 * password or token (a password box), and stores them in SecretStorage. An empty password
 * removes what is stored for that registry. Resolves with the host, or undefined when dismissed.
 */
export async function setRegistryCredentials(store: SecretStorageCredentials, log: vscode.LogOutputChannel, presetHost?: string): Promise<string | undefined> {
  const title = 'AIOS: Set Registry Credentials';
  const hostText = await vscode.window.showInputBox({
    title: `${title} (1/3)`,
    prompt: 'The registry: host[:port] as in oci://host[:port]/repository',
    placeHolder: 'registry.example.com:5000',
    value: presetHost ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const host = registryHostOf(text);
      return 'error' in host ? host.error : undefined;
    },
  });
  if (hostText === undefined) return undefined;
  const host = registryHostOf(hostText);
  if ('error' in host) return undefined;
  const username = await vscode.window.showInputBox({
    title: `${title} (2/3)`,
    prompt: `User name for ${host.host} (leave empty to give a token instead)`,
    ignoreFocusOut: true,
  });
  if (username === undefined) return undefined;
  const secret = await vscode.window.showInputBox({
    title: `${title} (3/3)`,
    prompt: `${username === '' ? 'Token' : `Password or token of ${username}`} for ${host.host} (kept in VS Code's secret storage; empty removes what is stored)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (secret === undefined) return undefined;
  if (secret === '') {
    await store.delete(host.host);
    log.info(`registry credentials for ${host.host} removed from secret storage`);
    void vscode.window.showInformationMessage(`AIOS: removed the credentials stored for ${host.host}.`);
    return host.host;
  }
  await store.set(host.host, username === '' ? { kind: 'token', token: secret, refresh: false } : { kind: 'basic', username, password: secret });
  log.info(`registry credentials for ${host.host} stored in secret storage${username === '' ? ' (a token)' : ` (user ${username})`}`);
  void vscode.window.showInformationMessage(`AIOS: credentials for ${host.host} stored in VS Code's secret storage.`);
  return host.host;
}
