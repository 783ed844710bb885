import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from '../../fs';
import type { CredentialStore, RegistryCredentials } from './credentials';

export interface DockerConfigOptions {
  /** `DOCKER_CONFIG` is read from here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Runs `docker-credential-<helper> get` with `serverUrl` on stdin; undefined when it knows no credentials. */
  readonly runHelper?: (helper: string, serverUrl: string, signal?: AbortSignal) => Promise<HelperAnswer | undefined>;
}

export interface HelperAnswer {
  readonly Username: string;
  readonly Secret: string;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: unknown;
}

/**
 * Credentials the way `docker login` leaves them: `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`): a per-registry helper in `credHelpers`, else the `credsStore`
 * helper, else the entry in `auths` (`auth` = base64 `user:password`, or an identity or
 * registry token). Helpers are `docker-credential-<name> get` on PATH.
 */
export function dockerConfigCredentials(options: DockerConfigOptions): CredentialStore {
  const file = join(options.env['DOCKER_CONFIG'] || join(options.homeDir, '.docker'), 'config.json');
  const runHelper = options.runHelper ?? runCredentialHelper;
  return {
    description: `docker config ${file}`,
    async get(host, signal) {
      const config = await readConfig(file);
      if (!config) return undefined;
      const helper = config.credHelpers?.[host] ?? (typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined);
      const entry = Object.entries(config.auths ?? {}).find(([key]) => registryHostOf(key) === canonicalHost(host));
      if (helper) {
        const answer = await runHelper(helper, entry?.[0] ?? host, signal);
        if (answer) return answer.Username === '<token>' ? { kind: 'token', token: answer.Secret, refresh: true } : { kind: 'basic', username: answer.Username, password: answer.Secret };
      }
      return entry ? fromEntry(entry[1], file) : undefined;
    },
  };
}

async function readConfig(file: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch {
    throw new Error(`${file} is not valid JSON: fix it or log in again (docker login).`);
  }
}

/** `https://index.docker.io/v1/`, `http://host:5000`, `host:5000/` -> the registry host as in `oci://host`. */
export function registryHostOf(key: string): string {
  return canonicalHost(key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '');
}

function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'docker.io' || lower === 'registry-1.docker.io' ? 'index.docker.io' : lower;
}

function fromEntry(entry: AuthEntry, file: string): RegistryCredentials | undefined {
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) return { kind: 'token', token: entry.registrytoken, refresh: false };
  if (typeof entry.identitytoken === 'string' && entry.identitytoken) return { kind: 'token', token: entry.identitytoken, refresh: true };
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new Error(`An "auth" entry of ${file} is not base64 of user:password: log in again (docker login).`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { kind: 'basic', username: entry.username, password: entry.password };
  return undefined;
}

/** `docker-credential-<helper> get`: JSON on stdout; "credentials not found" means none. */
export function runCredentialHelper(helper: string, serverUrl: string, signal?: AbortSignal): Promise<HelperAnswer | undefined> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { signal, timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new Error(`The docker config names the credential helper "${helper}", but ${program} is not on PATH: install it or remove it from the docker config.`));
        }
        if (/credentials not found/i.test(`${stdout}${stderr}`)) return resolve(undefined);
        return reject(new Error(`${program} get failed for ${serverUrl} (${(stderr || error.message).trim().split('\n')[0]}): check the helper (docker login ${serverUrl}).`));
      }
      try {
        const answer = JSON.parse(stdout) as Partial<HelperAnswer>;
        if (typeof answer.Username !== 'string' || typeof answer.Secret !== 'string') throw new Error('missing Username or Secret');
        resolve({ Username: answer.Username, Secret: answer.Secret });
      } catch {
        reject(new Error(`${program} get printed no credentials JSON for ${serverUrl}: check the helper.`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}
