import { strict as assert } from 'node:assert';
import { RegistryError } from '../../../../src/core/registry/registry';
import { skipBecause } from '../../skipBecause';
import { artifact, client, fastRetry, generatedBlob, pushArtifact, readAll, skopeo } from './fixtures';
import { FaultProxy } from './faultProxy';
import { freePort, haveRegistry, haveSkopeo, noRegistry, noSkopeo, RegistryServer } from './registryServer';

const isBlobPatch = (method: string, url: string) => method === 'PATCH' && url.includes('/blobs/uploads/');

describe('OCI client under faults (real registry, loopback fault proxy)', function () {
  this.timeout(120_000);
  let server: RegistryServer;
  let proxy: FaultProxy;

  before(async function () {
    if (!haveRegistry) skipBecause(this, noRegistry);
    server = await RegistryServer.start();
    proxy = await FaultProxy.start(server.host);
  });
  beforeEach(() => {
    proxy.requests.length = 0;
    proxy.decide = () => 'forward';
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('retries 500s and completes the push', async () => {
    let failures = 0;
    proxy.decide = (req) => (req.method === 'PUT' && failures++ < 2 ? { status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"injected"}]}' } : 'forward');
    const a = artifact([generatedBlob('five-hundred', 4000)]);
    await pushArtifact(client(proxy.host), 'faults/five', '1.0.0', a);
    assert.equal(proxy.requests.filter((r) => r.status === 500).length, 2);
    assert.deepEqual((await client(server.host).getManifest('faults/five', '1.0.0')).bytes, a.manifest);
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    let limited = false;
    proxy.decide = (req) => {
      if (req.method === 'HEAD' && !limited) {
        limited = true;
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      return 'forward';
    };
    const blob = generatedBlob('rate', 100);
    await client(proxy.host).pushBlob('faults/rate', blob);
    const heads = proxy.requests.filter((r) => r.method === 'HEAD');
    assert.equal(heads[0]?.status, 429);
    assert.ok(heads[1]!.at - heads[0]!.at >= 950, `retried after ${heads[1]!.at - heads[0]!.at} ms, asked for 1000`);
  });

  it('cuts a request that gets no answer within the idle timeout and tries again', async () => {
    let hung = false;
    proxy.decide = (req) => (req.method === 'HEAD' && !hung ? ((hung = true), 'hang') : 'forward');
    const blob = generatedBlob('silent', 100);
    const started = Date.now();
    await client(proxy.host, { idleTimeoutMs: 300 }).pushBlob('faults/silent', blob);
    assert.ok(Date.now() - started >= 300, 'it waited out the idle timeout');
    const heads = proxy.requests.filter((r) => r.method === 'HEAD');
    assert.equal(heads.length, 2, 'the silent request, then its retry');
    assert.equal(await client(server.host).hasBlob('faults/silent', blob.digest), true);
  });

  it('gives up after its attempts with a message that says the registry failed and what to do', async () => {
    proxy.decide = () => ({ status: 503 });
    await assert.rejects(client(proxy.host).hasBlob('faults/down', generatedBlob('x', 1).digest), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.code === 'unavailable', String(e));
      assert.match(e.message, /failed .* 6 time\(s\) \(last: 503\).*try again later/);
      return true;
    });
    assert.equal(proxy.requests.length, fastRetry.attempts);
  });

  it('resumes a chunked upload at the offset the registry reports after a connection reset', async () => {
    const chunk = 1 << 20;
    const blob = generatedBlob('resume', 6 * chunk);
    let patches = 0;
    proxy.decide = (req) => (isBlobPatch(req.method ?? '', req.url ?? '') && ++patches === 4 ? 'reset' : 'forward');
    const result = await client(proxy.host, { monolithicMax: 0, chunkSize: chunk }).pushBlob('faults/resume', blob);
    const sent = proxy.requests.filter((r) => isBlobPatch(r.method, r.url)).reduce((sum, r) => sum + r.bodyBytes, 0);
    assert.equal(sent, blob.size, 'no byte was sent twice: the upload went on from the reported Range');
    assert.ok(proxy.requests.some((r) => r.method === 'GET' && r.url.includes('/blobs/uploads/')), 'asked the registry for the upload status');
    assert.ok(result.uploaded >= blob.size && result.uploaded <= blob.size + chunk, `counted ${result.uploaded}: the blob and at most the chunk cut off`);
    assert.deepEqual(await readAll(await client(server.host).openBlob('faults/resume', { mediaType: 'x', digest: blob.digest, size: blob.size })), blob.bytesAt(0, blob.size));
  });

  it('starts the upload again when the registry lost part of a chunk cut mid-way', async () => {
    const chunk = 1 << 20;
    const blob = generatedBlob('cut', 4 * chunk);
    let patches = 0;
    proxy.decide = (req) => (isBlobPatch(req.method ?? '', req.url ?? '') && ++patches === 2 ? { resetAfterBytes: chunk / 2 } : 'forward');
    await client(proxy.host, { monolithicMax: 0, chunkSize: chunk }).pushBlob('faults/cut', blob);
    assert.equal(await client(server.host).hasBlob('faults/cut', blob.digest), true);
    assert.deepEqual(await readAll(await client(server.host).openBlob('faults/cut', { mediaType: 'x', digest: blob.digest, size: blob.size })), blob.bytesAt(0, blob.size));
  });

  it('refuses a tampered blob and a tampered manifest on read', async () => {
    const layer = generatedBlob('tamper', 70_000);
    const a = artifact([layer]);
    const { digest } = await pushArtifact(client(server.host), 'faults/tamper', '1.0.0', a);
    proxy.decide = (req) => (req.method === 'GET' ? 'tamper' : 'forward');
    const stream = await client(proxy.host).openBlob('faults/tamper', { mediaType: 'x', digest: layer.digest, size: layer.size });
    await assert.rejects(readAll(stream), (e: unknown) => e instanceof RegistryError && e.code === 'digestMismatch' && /does not match its digest: expected sha256:\w+, got sha256:\w+/.test(e.message));
    await assert.rejects(client(proxy.host).getManifest('faults/tamper', digest), (e: unknown) => e instanceof RegistryError && e.code === 'digestMismatch');
    await assert.rejects(client(proxy.host).getManifest('faults/tamper', '1.0.0'), (e: unknown) => e instanceof RegistryError && e.code === 'digestMismatch');
  });

  it('picks a download up again where a reset broke it off (Range), and still verifies it', async () => {
    const layer = generatedBlob('range', 3 << 20);
    await client(server.host).pushBlob('faults/range', layer);
    let gets = 0;
    proxy.decide = (req) => (req.method === 'GET' && req.url?.includes('/blobs/sha256:') && ++gets === 1 ? { resetResponseAfterBytes: 1 << 20 } : 'forward');
    const bytes = await readAll(await client(proxy.host).openBlob('faults/range', { mediaType: 'x', digest: layer.digest, size: layer.size }));
    assert.deepEqual(bytes, layer.bytesAt(0, layer.size));
    const blobGets = proxy.requests.filter((r) => r.method === 'GET' && r.url.includes('/blobs/sha256:'));
    assert.equal(blobGets.length, 2, 'one reset, one resumed request');
    assert.equal(blobGets[1]?.status, 206, 'the second request asked for the rest only');
  });

  it('refuses a blob whose length differs from its descriptor', async () => {
    const layer = generatedBlob('length', 1000);
    await client(server.host).pushBlob('faults/length', layer);
    await assert.rejects(client(server.host).openBlob('faults/length', { mediaType: 'x', digest: layer.digest, size: 999 }), (e: unknown) => e instanceof RegistryError && e.code === 'digestMismatch' && /1000 bytes, not the 999/.test(e.message));
  });

  it('says the registry is unreachable when nothing listens, after retrying', async () => {
    const port = await freePort();
    await assert.rejects(client(`127.0.0.1:${port}`).listTags('any/repo'), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.code === 'unavailable', String(e));
      assert.match(e.message, new RegExp(`Cannot reach registry 127\\.0\\.0\\.1:${port} .*ECONNREFUSED.*check the address and that the registry is running`));
      return true;
    });
  });

  it('stops at once when cancelled, with the abort reason', async () => {
    const controller = new AbortController();
    const blob = generatedBlob('cancel', 4 << 20);
    const push = client(proxy.host, { monolithicMax: 0, chunkSize: 1 << 20 }).pushBlob('faults/cancel', blob, {
      signal: controller.signal,
      progress: (done) => done > 1 << 20 && controller.abort(new Error('cancelled by the test')),
    });
    await assert.rejects(push, /cancelled by the test/);
  });
});

describe('OCI client when the registry is killed mid-upload', function () {
  this.timeout(180_000);
  let server: RegistryServer;

  before(async function () {
    if (!haveRegistry) skipBecause(this, noRegistry);
    if (!haveSkopeo) skipBecause(this, noSkopeo);
    server = await RegistryServer.start();
  });
  after(async () => server?.stop());

  it('finishes the push after the registry restarts, and nothing is tagged before every blob is in', async () => {
    const chunk = 2 << 20;
    const layer = generatedBlob('killed', 12 * chunk);
    const a = artifact([layer]);
    const registry = client(server.host, { monolithicMax: 1 << 20, chunkSize: chunk, retry: { attempts: 10, baseDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1000 } });
    let restarted: Promise<string[]> | undefined;
    const progress = (done: number, total: number) => {
      if (restarted || total !== layer.size || done < total / 3) return;
      restarted = server
        .kill()
        .then(() => server.run())
        .then(() => client(server.host).listTags('killed/app'));
    };
    const { digest } = await pushArtifact(registry, 'killed/app', '1.0.0', a, { progress });
    assert.ok(restarted, 'the registry was killed during the upload');
    assert.deepEqual(await restarted, [], 'no tag was visible while the blobs were incomplete');
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${server.host}/killed/app:1.0.0`]);
    assert.equal(raw, new TextDecoder().decode(a.manifest));
    assert.equal((await client(server.host).getManifest('killed/app', '1.0.0')).digest, digest);
    assert.deepEqual(await readAll(await client(server.host).openBlob('killed/app', { mediaType: 'x', digest: layer.digest, size: layer.size })), layer.bytesAt(0, layer.size));
  });
});
