import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cliCredentials } from '../../../src/core/registry/credentials/cli';
import { dockerConfigCredentials, registryHostOf } from '../../../src/core/registry/credentials/dockerConfig';
import { environmentCredentials, hostVariable } from '../../../src/core/registry/credentials/environment';

describe('registry credentials for the CLI', () => {
  let dir: string;
  let savedPath: string | undefined;
  const base64 = (s: string) => Buffer.from(s).toString('base64');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aios-creds-'));
    savedPath = process.env['PATH'];
  });
  afterEach(() => {
    process.env['PATH'] = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(config: unknown, folder = join(dir, 'home', '.docker')): void {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  }

  /** A `docker-credential-<name>` on PATH that answers for one server URL and says "not found" otherwise. */
  function installHelper(name: string, serverUrl: string, username: string, secret: string): void {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const script = join(bin, `docker-credential-${name}`);
    writeFileSync(
      script,
      `#!/bin/sh\nread url\n[ "$1" = get ] || exit 3\nif [ "$url" = "${serverUrl}" ]; then printf '{"ServerURL":"%s","Username":"${username}","Secret":"${secret}"}' "$url"; else echo "credentials not found in native keychain"; exit 1; fi\n`,
    );
    chmodSync(script, 0o755);
    process.env['PATH'] = `${bin}${delimiter}${savedPath ?? ''}`;
  }

  it('reads auths entries (base64 user:password, a password with a colon), matching keys written with a scheme or path', async () => {
    writeConfig({
      auths: {
        'https://registry.example.com:5000/v2/': { auth: base64('alice:se:cret') },
        'other.example.com': { username: 'bob', password: 'pw' },
        'tokens.example.com': { identitytoken: 'refresh-me' },
      },
    });
    const store = dockerConfigCredentials({ env: {}, homeDir: join(dir, 'home') });
    assert.deepEqual(await store.get('registry.example.com:5000'), { kind: 'basic', username: 'alice', password: 'se:cret' });
    assert.deepEqual(await store.get('other.example.com'), { kind: 'basic', username: 'bob', password: 'pw' });
    assert.deepEqual(await store.get('tokens.example.com'), { kind: 'token', token: 'refresh-me', refresh: true });
    assert.equal(await store.get('unknown.example.com'), undefined);
    assert.match(store.description, /docker config .*home\/\.docker\/config\.json/);
  });

  it('honours DOCKER_CONFIG, and finds nothing (no error) when there is no config', async () => {
    writeConfig({ auths: { 'r.example.com': { auth: base64('carol:x') } } }, join(dir, 'custom'));
    assert.deepEqual(await dockerConfigCredentials({ env: { DOCKER_CONFIG: join(dir, 'custom') }, homeDir: join(dir, 'home') }).get('r.example.com'), { kind: 'basic', username: 'carol', password: 'x' });
    assert.equal(await dockerConfigCredentials({ env: {}, homeDir: join(dir, 'nowhere') }).get('r.example.com'), undefined);
  });

  it('asks the per-registry helper of credHelpers, then the credsStore helper, through docker-credential-<name> get', async () => {
    installHelper('aiostest', 'helped.example.com', 'dave', 'from-helper');
    writeConfig({ credHelpers: { 'helped.example.com': 'aiostest' }, auths: { 'plain.example.com': { auth: base64('erin:pw') } } });
    const store = dockerConfigCredentials({ env: {}, homeDir: join(dir, 'home') });
    assert.deepEqual(await store.get('helped.example.com'), { kind: 'basic', username: 'dave', password: 'from-helper' });
    assert.deepEqual(await store.get('plain.example.com'), { kind: 'basic', username: 'erin', password: 'pw' }, 'no helper for this host');

    installHelper('storetest', 'stored.example.com', '<token>', 'identity-token');
    writeConfig({ credsStore: 'storetest', auths: { 'stored.example.com': {} } });
    const viaStore = dockerConfigCredentials({ env: {}, homeDir: join(dir, 'home') });
    assert.deepEqual(await viaStore.get('stored.example.com'), { kind: 'token', token: 'identity-token', refresh: true });
    assert.equal(await viaStore.get('unknown.example.com'), undefined, '"credentials not found" from the helper is no error');
  });

  it('says which helper is missing from PATH', async () => {
    writeConfig({ credsStore: 'absent-helper-xyz' });
    await assert.rejects(dockerConfigCredentials({ env: {}, homeDir: join(dir, 'home') }).get('any.example.com'), /credential helper "absent-helper-xyz", but docker-credential-absent-helper-xyz is not on PATH/);
  });

  it('reads the environment: a host-specific pair before the general one, tokens too', async () => {
    assert.equal(hostVariable('registry.example.com:5000'), 'REGISTRY_EXAMPLE_COM_5000');
    const env = {
      AIOS_REGISTRY_REGISTRY_EXAMPLE_COM_5000_USERNAME: 'ci',
      AIOS_REGISTRY_REGISTRY_EXAMPLE_COM_5000_PASSWORD: 'ci-pw',
      AIOS_REGISTRY_TOKENS_EXAMPLE_COM_TOKEN: 'tok',
      AIOS_REGISTRY_USERNAME: 'any',
      AIOS_REGISTRY_PASSWORD: 'any-pw',
    };
    const store = environmentCredentials(env);
    assert.deepEqual(await store.get('registry.example.com:5000'), { kind: 'basic', username: 'ci', password: 'ci-pw' });
    assert.deepEqual(await store.get('tokens.example.com'), { kind: 'token', token: 'tok', refresh: false });
    assert.deepEqual(await store.get('elsewhere.example.com'), { kind: 'basic', username: 'any', password: 'any-pw' });
    assert.equal(await environmentCredentials({}).get('elsewhere.example.com'), undefined);
  });

  it('the CLI prefers the environment over the docker login', async () => {
    writeConfig({ auths: { 'both.example.com': { auth: base64('docker-user:docker-pw') }, 'docker-only.example.com': { auth: base64('d:p') } } });
    const store = cliCredentials({ AIOS_REGISTRY_BOTH_EXAMPLE_COM_USERNAME: 'env-user', AIOS_REGISTRY_BOTH_EXAMPLE_COM_PASSWORD: 'env-pw' }, join(dir, 'home'));
    assert.deepEqual(await store.get('both.example.com'), { kind: 'basic', username: 'env-user', password: 'env-pw' });
    assert.deepEqual(await store.get('docker-only.example.com'), { kind: 'basic', username: 'd', password: 'p' });
  });

  it('maps docker config keys to registry hosts', () => {
    assert.equal(registryHostOf('https://index.docker.io/v1/'), 'index.docker.io');
    assert.equal(registryHostOf('docker.io'), 'index.docker.io');
    assert.equal(registryHostOf('http://LOCALHOST:5000'), 'localhost:5000');
  });
});
