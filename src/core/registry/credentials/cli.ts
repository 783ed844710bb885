import { homedir } from 'node:os';
import { chainCredentialStores, type CredentialStore } from './credentials';
import { dockerConfigCredentials } from './dockerConfig';
import { environmentCredentials } from './environment';

/** What the CLI uses: the environment first (explicit), then docker's login. */
export function cliCredentials(env: Readonly<Record<string, string | undefined>> = process.env, homeDir: string = homedir()): CredentialStore {
  return chainCredentialStores([environmentCredentials(env), dockerConfigCredentials({ env, homeDir })]);
}
