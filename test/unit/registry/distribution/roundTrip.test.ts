import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Digest } from '../../../../src/core/registry/digest';
import { RegistryError } from '../../../../src/core/registry/registry';
import { skipBecause } from '../../skipBecause';
import { artifact, client, generatedBlob, pushArtifact, readAll, skopeo } from './fixtures';
import { haveRegistry, haveSkopeo, noRegistry, noSkopeo, RegistryServer } from './registryServer';

describe('OCI client against Distribution 2.8, with skopeo as the peer', function () {
  this.timeout(120_000);
  let server: RegistryServer;
  let work: string;

  before(async function () {
    if (!haveRegistry) skipBecause(this, noRegistry);
    if (!haveSkopeo) skipBecause(this, noSkopeo);
    server = await RegistryServer.start();
    work = mkdtempSync(join(tmpdir(), 'aios-oci-'));
  });
  after(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('pushes small blobs in one request and large ones in chunks; skopeo reads the manifest and copies every blob', async () => {
    const registry = client(server.host, { monolithicMax: 1 << 20, chunkSize: 1 << 20 });
    const small = generatedBlob('small', 1000);
    const large = generatedBlob('large', 5 * (1 << 20) + 123);
    const a = artifact([small, large]);
    const progress: number[] = [];
    const { digest, uploaded } = await pushArtifact(registry, 'aios/round', '1.0.0', a, { progress: (done) => progress.push(done) });
    assert.equal(uploaded, a.config.size + small.size + large.size);
    assert.equal(digest, sha256Digest(a.manifest));
    assert.ok(progress.some((p) => p > 0 && p < large.size), 'progress is reported part-way');

    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${server.host}/aios/round:1.0.0`]);
    assert.equal(raw, new TextDecoder().decode(a.manifest));
    const dir = join(work, 'copied');
    await skopeo(['copy', '--src-tls-verify=false', '--preserve-digests', `docker://${server.host}/aios/round:1.0.0`, `dir:${dir}`]);
    assert.deepEqual(readFileSync(join(dir, large.digest.slice(7))), large.bytesAt(0, large.size));
    assert.deepEqual(readFileSync(join(dir, small.digest.slice(7))), small.bytesAt(0, small.size));
  });

  it('reads back what it pushed, verified, and skips blobs the repository already has', async () => {
    const registry = client(server.host, { monolithicMax: 1 << 20, chunkSize: 1 << 20 });
    const layer = generatedBlob('again', 3 * (1 << 20));
    const a = artifact([layer]);
    await pushArtifact(registry, 'aios/again', '1.0.0', a);
    const before = registry.transport.bytesSent;
    const again = await pushArtifact(registry, 'aios/again', '1.0.1', a);
    assert.equal(again.uploaded, 0, 'nothing is uploaded twice');
    assert.equal(registry.transport.bytesSent - before, a.manifest.length, 'only the manifest went over the wire');

    const manifest = await registry.getManifest('aios/again', '1.0.0');
    assert.deepEqual(manifest.bytes, a.manifest);
    assert.equal(manifest.digest, sha256Digest(a.manifest));
    assert.equal(manifest.mediaType, a.mediaType);
    const byDigest = await registry.getManifest('aios/again', manifest.digest);
    assert.deepEqual(byDigest.bytes, a.manifest);
    const bytes = await readAll(await registry.openBlob('aios/again', { mediaType: 'x', digest: layer.digest, size: layer.size }));
    assert.deepEqual(bytes, layer.bytesAt(0, layer.size));
  });

  it('mounts a blob from another repository instead of uploading it', async () => {
    const registry = client(server.host);
    const layer = generatedBlob('mount', 200_000);
    await registry.pushBlob('aios/source', layer);
    assert.equal(await registry.hasBlob('aios/target', layer.digest), false);
    const result = await registry.pushBlob('aios/target', layer, { mountFrom: 'aios/source' });
    assert.equal(result.uploaded, 0);
    assert.equal(await registry.hasBlob('aios/target', layer.digest), true);
  });

  it('reads what skopeo copied into the registry', async () => {
    const layer = Buffer.from('weights written by skopeo\n'.repeat(1000));
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256Digest(layer), size: layer.length }],
      }),
    );
    const dir = join(work, 'from-skopeo');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'version'), 'Directory Transport Version: 1.1\n');
    writeFileSync(join(dir, 'manifest.json'), manifest);
    writeFileSync(join(dir, sha256Digest(config).slice(7)), config);
    writeFileSync(join(dir, sha256Digest(layer).slice(7)), layer);
    await skopeo(['copy', '--dest-tls-verify=false', '--preserve-digests', `dir:${dir}`, `docker://${server.host}/peer/copied:v1`]);

    const registry = client(server.host);
    const read = await registry.getManifest('peer/copied', 'v1');
    assert.equal(read.digest, sha256Digest(manifest));
    const parsed = JSON.parse(new TextDecoder().decode(read.bytes)) as { layers: { digest: string; size: number; mediaType: string }[] };
    assert.deepEqual(await readAll(await registry.openBlob('peer/copied', parsed.layers[0]!)), layer);
    assert.deepEqual(await registry.listTags('peer/copied'), ['v1']);
  });

  it('lists tags across pages and none for a repository that does not exist', async () => {
    const registry = client(server.host, { pageSize: 2 });
    const a = artifact([generatedBlob('tags', 100)]);
    for (const tag of ['1.0.0', '1.1.0', '2.0.0', 'dev', 'production']) await pushArtifact(registry, 'aios/tags', tag, a);
    assert.deepEqual((await registry.listTags('aios/tags')).sort(), ['1.0.0', '1.1.0', '2.0.0', 'dev', 'production']);
    assert.deepEqual(await registry.listTags('aios/never-pushed'), []);
    assert.ok((await registry.listRepositories()).includes('aios/tags'));
  });

  it('finds referrers through the fallback tag (Distribution 2.8 has no referrers API) and forgets deleted ones', async () => {
    const registry = client(server.host);
    const subject = artifact([generatedBlob('subject', 1000)]);
    const { digest: subjectDigest } = await pushArtifact(registry, 'aios/refs', '1.0.0', subject);
    const statement = artifact([generatedBlob('statement', 300)], {
      artifactType: 'application/vnd.aios.release.statement.v1+json',
      subject: { mediaType: subject.mediaType, digest: subjectDigest, size: subject.manifest.length },
    });
    const other = artifact([generatedBlob('other', 300)], { artifactType: 'application/vnd.example.sbom', subject: { mediaType: subject.mediaType, digest: subjectDigest, size: subject.manifest.length } });
    const statementDigest = (await pushArtifact(registry, 'aios/refs', sha256Digest(statement.manifest), statement)).digest;
    await pushArtifact(registry, 'aios/refs', sha256Digest(other.manifest), other);

    const all = await registry.referrers('aios/refs', subjectDigest);
    assert.deepEqual(all.map((d) => d.digest).sort(), [statementDigest, sha256Digest(other.manifest)].sort());
    const statements = await registry.referrers('aios/refs', subjectDigest, 'application/vnd.aios.release.statement.v1+json');
    assert.deepEqual(statements.map((d) => d.digest), [statementDigest]);
    const tag = `sha256-${subjectDigest.slice(7)}`;
    const index = JSON.parse(await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${server.host}/aios/refs:${tag}`])) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 2, 'skopeo sees the fallback index');

    await registry.deleteManifest('aios/refs', statementDigest);
    assert.deepEqual((await registry.referrers('aios/refs', subjectDigest)).map((d) => d.digest), [sha256Digest(other.manifest)]);
    await assert.rejects(registry.getManifest('aios/refs', statementDigest), (e: unknown) => e instanceof RegistryError && e.code === 'notFound' && /no manifest aios\/refs@sha256/.test(e.message));
  });

  it('refuses to publish a manifest before its blobs, and says which blob is missing', async () => {
    const registry = client(server.host);
    const layer = generatedBlob('missing', 500);
    const a = artifact([layer]);
    await registry.pushBlob('aios/partial', a.config);
    await assert.rejects(registry.pushManifest('aios/partial', '1.0.0', a.manifest, a.mediaType), (e: unknown) => e instanceof RegistryError && e.message.includes(layer.digest) && /push its blobs first/.test(e.message));
    assert.deepEqual(await registry.listTags('aios/partial'), []);
  });

  it('says clearly when a manifest or blob is not there', async () => {
    const registry = client(server.host);
    await assert.rejects(registry.getManifest('aios/none', '9.9.9'), /There is no manifest aios\/none:9\.9\.9 at 127\.0\.0\.1:\d+ \(404\)/);
    const ghost = generatedBlob('ghost', 10);
    await assert.rejects(registry.openBlob('aios/none', { mediaType: 'x', digest: ghost.digest, size: 10 }), (e: unknown) => e instanceof RegistryError && e.code === 'notFound');
  });
});
