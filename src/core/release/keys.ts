import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Key, Signature } from '@tufjs/models';

/**
 * ed25519 signing keys in the TUF key format (securesystemslib): a public key is
 * `{keytype: "ed25519", scheme: "ed25519", keyval: {public: <hex>}}` and its key id is the
 * sha256 of that object's canonical JSON; the private key file adds `keyval.private` (the
 * 32-byte seed, hex) and is written with mode 0600.
 */

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** A loaded signing key: signs TUF metadata. */
export interface SigningKey {
  readonly keyId: string;
  readonly publicKey: Key;
  readonly privateKey: KeyObject;
}

export interface KeyFiles {
  readonly publicKey: string;
  readonly keyId: string;
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
}

// DER prefixes that wrap a raw 32-byte ed25519 key as PKCS#8 (private) and SPKI (public).
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** The user's config folder for aios (never the workspace): `AIOS_CONFIG_DIR`, else the platform's. */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['AIOS_CONFIG_DIR'];
  if (explicit) return explicit;
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'aios');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'aios');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'aios');
}

export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDir(env), 'keys');
}

export const defaultKeyName = 'release';

export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultKeyDir(env), `${defaultKeyName}.key`);
}

function publicKeyJson(publicHex: string): { keytype: string; scheme: string; keyval: { public: string } } {
  return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: publicHex } };
}

/** The TUF key id: sha256 of the canonical JSON of the public key (keys sorted, no spaces). */
export function keyIdOf(publicHex: string): string {
  const canonical = `{"keytype":"ed25519","keyval":{"public":"${publicHex}"},"scheme":"ed25519"}`;
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Creates `dir/<name>.key` (0600) and `dir/<name>.pub`. Refuses to overwrite an existing key
 * (a lost signing key cannot be recovered, and releases signed with it would lose their trust).
 */
export async function createKeyPair(dir: string, name: string = defaultKeyName): Promise<KeyFiles> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new KeyFileError(`'${name}' is not a key name: use letters, digits, '.', '_', '-'`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length).toString('hex');
  const seedHex = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(pkcs8Prefix.length).toString('hex');
  const keyId = keyIdOf(publicHex);
  const privateKeyFile = join(dir, `${name}.key`);
  const publicKeyFile = join(dir, `${name}.pub`);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const privateJson = { ...publicKeyJson(publicHex), keyval: { public: publicHex, private: seedHex }, keyid: keyId };
  try {
    await fsp.writeFile(privateKeyFile, `${JSON.stringify(privateJson, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError(`${privateKeyFile} already exists: keep it (releases are signed with it) or choose another --out folder`);
    throw e;
  }
  await fsp.chmod(privateKeyFile, 0o600);
  await fsp.writeFile(publicKeyFile, `${JSON.stringify({ ...publicKeyJson(publicHex), keyid: keyId }, null, 2)}\n`);
  return { publicKey: publicHex, keyId, privateKeyFile, publicKeyFile };
}

/** Loads a private key file; refuses one that others can read or write (mode must be 0600 or stricter). */
export async function loadSigningKey(file: string): Promise<SigningKey> {
  const stat = await fsp.stat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new KeyFileError(`the key file ${file} does not exist: create one with 'aios keys init' or pass --key FILE`);
    throw e;
  });
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new KeyFileError(`the key file ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}): run 'chmod 600 ${file}' and check who may have copied it`);
  }
  const json = await readKeyJson(file);
  const keyval = json.keyval as Record<string, unknown> | undefined;
  const publicHex = keyval?.['public'];
  const seedHex = keyval?.['private'];
  if (json.keytype !== 'ed25519' || typeof publicHex !== 'string' || typeof seedHex !== 'string' || !/^[0-9a-f]{64}$/.test(seedHex)) {
    throw new KeyFileError(`${file} is not an ed25519 private key in the TUF key format (keytype ed25519, keyval.public and keyval.private hex): create one with 'aios keys init'`);
  }
  const privateKey = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' });
  const derivedPublic = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length).toString('hex');
  if (derivedPublic !== publicHex) throw new KeyFileError(`${file}: keyval.public does not belong to keyval.private; the file is damaged`);
  const keyId = keyIdOf(publicHex);
  return { keyId, privateKey, publicKey: new Key({ keyID: keyId, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: publicHex } }) };
}

/**
 * Loads trusted public keys: a `.pub` file (one key), a `.key` file (its public half), or a
 * TUF-style `{keys: {<keyid>: key}}` document. Key ids are recomputed, never taken on trust.
 */
export async function loadTrustedKeys(file: string): Promise<Key[]> {
  const json = await readKeyJson(file);
  const candidates = json.keys !== undefined && typeof json.keys === 'object' && json.keys !== null ? Object.values(json.keys as Record<string, unknown>) : [json];
  const keys: Key[] = [];
  for (const candidate of candidates) {
    const c = candidate as Record<string, unknown>;
    const publicHex = (c.keyval as Record<string, unknown> | undefined)?.['public'];
    if (c.keytype !== 'ed25519' || typeof publicHex !== 'string' || !/^[0-9a-f]{64}$/.test(publicHex)) continue;
    const keyId = keyIdOf(publicHex);
    keys.push(new Key({ keyID: keyId, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: publicHex } }));
  }
  if (keys.length === 0) throw new KeyFileError(`${file} holds no ed25519 public key in the TUF key format: pass the .pub file written by 'aios keys init'`);
  return keys;
}

/** The signer `Metadata.sign` expects. */
export function signerOf(key: SigningKey): (data: Buffer) => Signature {
  return (data) => new Signature({ keyID: key.keyId, sig: sign(null, data, key.privateKey).toString('hex') });
}

async function readKeyJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyFileError(`the key file ${file} does not exist`);
    throw e;
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new KeyFileError(`${file} is not a JSON key file: create one with 'aios keys init'`);
}

/**
 * The key `release` and `promote` sign with: `file` when given, else the default key in the
 * user's config folder, created on first use (`created` then says where, so the caller can say so).
 */
export async function signingKeyFor(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ key: SigningKey; created?: KeyFiles }> {
  if (file !== undefined) return { key: await loadSigningKey(file) };
  const path = defaultKeyFile(env);
  const exists = await fsp.stat(path).then(
    () => true,
    () => false,
  );
  if (exists) return { key: await loadSigningKey(path) };
  const created = await createKeyPair(defaultKeyDir(env), defaultKeyName);
  return { key: await loadSigningKey(created.privateKeyFile), created };
}
