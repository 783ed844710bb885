import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Digest } from '../../../src/core/registry/digest';
import { LayoutRegistry, localRegistryDir } from '../../../src/core/registry/layout/layoutRegistry';
import { ociMediaTypes } from '../../../src/core/registry/oci';
import { isRegistryError } from '../../../src/core/registry/registry';
import { skipBecause } from '../skipBecause';
import { bytesBlob, pushTinyArtifact } from '../../fixtures/registry/tinyArtifact';

const writerScript = resolve('out', 'test', 'fixtures', 'registry', 'layoutWriter.js');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'aios-layout-'));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function hasSkopeo(): boolean {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('embedded registry (one OCI image layout)', function () {
  this.timeout(60_000);

  it('round-trips blobs, manifests and tags of several repositories', async () => {
    const registry = new LayoutRegistry(scratch());
    const a = await pushTinyArtifact(registry, 'aios/dms', '1.0.0', 'first');
    const b = await pushTinyArtifact(registry, 'aios/dms', '1.1.0', 'second');
    await pushTinyArtifact(registry, 'aios/lane', '0.1.0', 'lane');
    assert.deepEqual(await registry.listTags('aios/dms'), ['1.0.0', '1.1.0']);
    assert.deepEqual(await registry.listTags('aios'), []);
    assert.deepEqual(await registry.listRepositories(), ['aios/dms', 'aios/lane']);
    const got = await registry.getManifest('aios/dms', '1.0.0');
    assert.equal(got.digest, a.digest);
    assert.ok(Buffer.from(got.bytes).equals(a.manifest));
    assert.equal((await registry.getManifest('aios/dms', b.digest)).digest, b.digest);
    assert.equal((await readAll(await registry.openBlob('aios/dms', b.layer))).toString(), 'second');
    assert.equal(await registry.hasBlob('aios/dms', a.layer.digest), true);
  });

  it('moves a tag, keeps the manifest by digest, and deletes it with all its tags', async () => {
    const registry = new LayoutRegistry(scratch());
    const a = await pushTinyArtifact(registry, 'r', '1.0.0', 'one');
    const b = await pushTinyArtifact(registry, 'r', '2.0.0', 'two');
    await registry.pushManifest('r', 'production', a.manifest, ociMediaTypes.imageManifest);
    assert.equal((await registry.getManifest('r', 'production')).digest, a.digest);
    await registry.pushManifest('r', 'production', b.manifest, ociMediaTypes.imageManifest);
    assert.equal((await registry.getManifest('r', 'production')).digest, b.digest);
    await registry.deleteManifest('r', b.digest);
    assert.deepEqual(await registry.listTags('r'), ['1.0.0']);
    await assert.rejects(registry.getManifest('r', 'production'), (e) => isRegistryError(e, 'notFound'));
    await assert.rejects(registry.deleteManifest('r', b.digest), (e) => isRegistryError(e, 'notFound'));
  });

  it('skips a blob it has, and refuses a manifest whose blobs are missing', async () => {
    const registry = new LayoutRegistry(scratch());
    const bytes = Buffer.from('weights');
    assert.equal((await registry.pushBlob('r', bytesBlob(bytes))).uploaded, bytes.length);
    assert.equal((await registry.pushBlob('r', bytesBlob(bytes))).uploaded, 0);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociMediaTypes.imageManifest, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest(Buffer.from('{}')), size: 2 }, layers: [] }));
    await assert.rejects(registry.pushManifest('r', 't', manifest, ociMediaTypes.imageManifest), (e) => isRegistryError(e, 'invalid') && /push every blob before the manifest/.test(e.message));
    assert.deepEqual(await registry.listTags('r'), []);
  });

  it('refuses a blob whose bytes do not match its digest, and leaves no file behind', async () => {
    const dir = scratch();
    const registry = new LayoutRegistry(dir);
    const lying = { ...bytesBlob(Buffer.from('the real bytes')), digest: sha256Digest(Buffer.from('other bytes')) };
    await assert.rejects(registry.pushBlob('r', lying), (e) => isRegistryError(e, 'digestMismatch'));
    assert.deepEqual(readdirSync(join(dir, 'blobs', 'sha256')), []);
    assert.deepEqual(readdirSync(join(dir, 'blobs')), ['sha256']);
  });

  it('detects a tampered blob and a tampered manifest on read', async () => {
    const registry = new LayoutRegistry(scratch());
    const a = await pushTinyArtifact(registry, 'r', '1', 'untouched payload');
    writeFileSync(registry.blobPath(a.layer.digest), 'touched payload!!');
    await assert.rejects(readAll(await registry.openBlob('r', a.layer)), (e) => isRegistryError(e, 'digestMismatch'));
    const tampered = Buffer.from(a.manifest.toString().replace('payload.txt', 'payload.TXT'));
    writeFileSync(registry.blobPath(a.digest), tampered);
    await assert.rejects(registry.getManifest('r', '1'), (e) => isRegistryError(e, 'digestMismatch'));
  });

  it('keeps every tag when two processes write at once', async () => {
    const dir = scratch();
    const count = 15;
    const run = (prefix: string) =>
      new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, [writerScript, dir, 'aios/dms', prefix, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`writer ${prefix} exited ${code}: ${err}`))));
      });
    await Promise.all([run('a'), run('b')]);
    const tags = await new LayoutRegistry(dir).listTags('aios/dms');
    assert.equal(tags.length, 2 * count, `tags: ${tags.join(' ')}`);
    assert.ok(!existsSync(join(dir, 'index.json.lock')));
    assert.deepEqual(readdirSync(join(dir, 'blobs')), ['sha256'], 'no temp file left');
  });

  it('names its folder from AIOS_REGISTRY_DIR or .aios/registry', () => {
    assert.equal(localRegistryDir('/w', {}), '/w/.aios/registry');
    assert.equal(localRegistryDir('/w', { AIOS_REGISTRY_DIR: 'regs' }), '/w/regs');
    assert.equal(localRegistryDir('/w', { AIOS_REGISTRY_DIR: '/abs' }), '/abs');
  });

  describe('with skopeo as the independent OCI client', function () {
    before(function () {
      if (!hasSkopeo()) skipBecause(this, 'skopeo is missing (apt-get install skopeo)');
    });

    it('skopeo inspects and copies what we wrote', async () => {
      const dir = scratch();
      const registry = new LayoutRegistry(dir);
      const a = await pushTinyArtifact(registry, 'aios/dms', '1.3.0', 'payload for skopeo');
      await pushTinyArtifact(registry, 'aios/other', '1.3.0', 'another repository');
      const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${dir}:aios/dms:1.3.0`]);
      assert.equal(sha256Digest(raw), a.digest);
      const out = join(scratch(), 'copy');
      execFileSync('skopeo', ['copy', '--quiet', `oci:${dir}:aios/dms:1.3.0`, `dir:${out}`], { stdio: 'pipe' });
      assert.equal(readFileSync(join(out, a.layer.digest.slice('sha256:'.length)), 'utf8'), 'payload for skopeo');
    });

    it('we read a layout skopeo wrote', async () => {
      const source = scratch();
      const registry = new LayoutRegistry(source);
      const a = await pushTinyArtifact(registry, 'src', 'v1', 'copied by skopeo');
      const target = join(scratch(), 'layout');
      execFileSync('skopeo', ['copy', '--quiet', `oci:${source}:src:v1`, `oci:${target}:aios/copied:2.0.0`], { stdio: 'pipe' });
      const copy = new LayoutRegistry(target);
      assert.deepEqual(await copy.listTags('aios/copied'), ['2.0.0']);
      const manifest = await copy.getManifest('aios/copied', '2.0.0');
      assert.equal(manifest.digest, a.digest);
      assert.equal((await readAll(await copy.openBlob('aios/copied', a.layer))).toString(), 'copied by skopeo');
      // and we can add to it
      await pushTinyArtifact(copy, 'aios/copied', '2.1.0', 'ours');
      execFileSync('skopeo', ['inspect', '--raw', `oci:${target}:aios/copied:2.1.0`], { stdio: 'pipe' });
    });
  });
});
