import { strict as assert } from 'node:assert';
import { chainCredentialStores, type CredentialStore } from '../../../../src/core/registry/credentials/credentials';
import { environmentCredentials } from '../../../../src/core/registry/credentials/environment';
import { RegistryError } from '../../../../src/core/registry/registry';
import { skipBecause } from '../../skipBecause';
import { artifact, client, generatedBlob, pushArtifact, readAll, skopeo } from './fixtures';
import { FaultProxy } from './faultProxy';
import { haveHtpasswd, haveRegistry, haveSkopeo, noRegistry, noSkopeo, RegistryServer } from './registryServer';

const username = 'release-bot';
const password = 'pa55-w0rd:with-colon';

function basicCredentials(pass: string): CredentialStore {
  return environmentCredentials({ AIOS_REGISTRY_USERNAME: username, AIOS_REGISTRY_PASSWORD: pass });
}

/** No line, message or stack carries the password or its basic-auth encoding. */
function assertNoSecret(texts: readonly string[], ...secrets: string[]): void {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  for (const text of texts) {
    for (const secret of [password, encoded, ...secrets]) assert.ok(!text.includes(secret), `a log line or message carries a secret: ${text}`);
  }
}

describe('OCI client authentication: htpasswd basic auth on Distribution 2.8', function () {
  this.timeout(60_000);
  let server: RegistryServer;

  before(async function () {
    if (!haveRegistry || !haveHtpasswd) skipBecause(this, noRegistry);
    if (!haveSkopeo) skipBecause(this, noSkopeo);
    server = await RegistryServer.start({ basicAuth: { username, password } });
  });
  after(async () => server?.stop());

  it('pushes and pulls with the right credentials; skopeo reads it with them; the log holds no password', async () => {
    const log: string[] = [];
    const registry = client(server.host, { credentials: basicCredentials(password), log: (line) => log.push(line) });
    const layer = generatedBlob('basic', 300_000);
    const a = artifact([layer]);
    await pushArtifact(registry, 'auth/basic', '1.0.0', a);
    assert.deepEqual(await readAll(await registry.openBlob('auth/basic', { mediaType: 'x', digest: layer.digest, size: layer.size })), layer.bytesAt(0, layer.size));
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', `${username}:${password}`, `docker://${server.host}/auth/basic:1.0.0`]);
    assert.equal(raw, new TextDecoder().decode(a.manifest));
    assert.ok(log.some((l) => /PUT \/v2\/auth\/basic\/manifests\/1\.0\.0 -> 201/.test(l)), 'the log records requests');
    assertNoSecret(log);
  });

  it('says the credentials were rejected, without repeating them', async () => {
    const log: string[] = [];
    const wrong = 'not-the-password';
    await assert.rejects(client(server.host, { credentials: basicCredentials(wrong), log: (line) => log.push(line) }).listTags('auth/basic'), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.code === 'unauthorized', String(e));
      assert.match(e.message, /rejected the credentials \(from: environment \(AIOS_REGISTRY_\*\)\)/);
      assertNoSecret([e.message, e.stack ?? '', ...log], wrong);
      return true;
    });
  });

  it('says credentials are needed and where it looked when there are none', async () => {
    await assert.rejects(client(server.host).listTags('auth/basic'), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.code === 'unauthorized', String(e));
      assert.match(e.message, /requires credentials and none were found .*docker login 127\.0\.0\.1:\d+.*AIOS_REGISTRY_USERNAME/);
      return true;
    });
  });
});

describe('OCI client authentication: bearer-token challenge (token server in a loopback proxy)', function () {
  this.timeout(60_000);
  let server: RegistryServer;
  let proxy: FaultProxy;

  before(async function () {
    if (!haveRegistry) skipBecause(this, noRegistry);
    server = await RegistryServer.start();
    proxy = await FaultProxy.start(server.host, { bearer: { username, password } });
  });
  beforeEach(() => {
    proxy.tokenRequests.length = 0;
    proxy.requests.length = 0;
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('answers the challenge with a token per scope, reuses it, and never logs credentials or tokens', async () => {
    const log: string[] = [];
    const registry = client(proxy.host, { credentials: basicCredentials(password), log: (line) => log.push(line), chunkSize: 1 << 20, monolithicMax: 1 << 20 });
    const layer = generatedBlob('bearer', 3 << 20);
    const a = artifact([layer]);
    await pushArtifact(registry, 'auth/bearer', '1.0.0', a);
    await registry.getManifest('auth/bearer', '1.0.0');
    await readAll(await registry.openBlob('auth/bearer', { mediaType: 'x', digest: layer.digest, size: layer.size }));
    assert.deepEqual(await registry.listTags('auth/bearer'), ['1.0.0']);

    const scopes = proxy.tokenRequests.map((t) => t.scope.join(' ')).sort();
    assert.deepEqual(scopes, ['repository:auth/bearer:pull', 'repository:auth/bearer:pull,push'], 'one token per scope, then the cache');
    assert.ok(proxy.requests.filter((r) => r.status !== 401).length > 8, 'the requests went through with the tokens');
    const tokens = proxy.requests.map((r) => r.authorization?.replace(/^Bearer /, '')).filter((t): t is string => !!t);
    assertNoSecret(log, ...tokens);
  });

  it('says the token server rejected the credentials', async () => {
    await assert.rejects(client(proxy.host, { credentials: basicCredentials('wrong') }).hasBlob('auth/bearer', generatedBlob('x', 1).digest), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.code === 'unauthorized', String(e));
      assert.match(e.message, /rejected the credentials/);
      return true;
    });
  });

  it('takes the first credential store that knows the host', async () => {
    const none: CredentialStore = { description: 'empty', get: async () => undefined };
    const registry = client(proxy.host, { credentials: chainCredentialStores([none, basicCredentials(password)]) });
    assert.deepEqual(await registry.listTags('auth/bearer'), ['1.0.0']);
  });
});
