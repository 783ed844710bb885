import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ociMediaTypes } from '../../../src/core/registry/oci';
import type { Descriptor, Registry } from '../../../src/core/registry/registry';
import { artifactMediaTypes } from '../../../src/core/release/artifact';
import { fetchRelease } from '../../../src/core/release/fetch';
import { createKeyPair, KeyFileError, loadSigningKey, loadTrustedKeys } from '../../../src/core/release/keys';
import { compareSemver, readStatement, releaseMetadataArtifactType, signStatement } from '../../../src/core/release/metadata';
import { promoteRelease } from '../../../src/core/release/promote';
import { ReleaseInputError } from '../../../src/core/release/release';
import { pushStatement, readManifest, readBlob } from '../../../src/core/release/statementStore';
import { TrustStore } from '../../../src/core/release/trustStore';
import { editUseCase, passingRuns, release, releaseWorkspace } from './harness';

type Workspace = Awaited<ReturnType<typeof releaseWorkspace>>;

async function verify(ws: Pick<Workspace, 'dir' | 'publicKeyFile'> & { registry: Registry }, tag: string, options: { trust?: string; now?: Date; store?: TrustStore; outDir?: string } = {}) {
  return fetchRelease({
    registry: ws.registry,
    reference: { registry: { kind: 'local' }, repository: 'aios/cabin-occupancy', tag },
    trusted: await loadTrustedKeys(options.trust ?? ws.publicKeyFile),
    trustStore: options.store ?? new TrustStore(join(ws.dir, 'trust.json')),
    now: options.now ?? new Date(),
    ...(options.outDir ? { outDir: options.outDir } : {}),
  });
}

describe('releases (embedded registry)', function () {
  this.timeout(60_000);

  it('packs a ModelPack artifact with the model, use case and reports, signs it, and verifies it back', async () => {
    const ws = await releaseWorkspace();
    const report = await release(ws);
    assert.equal(report.released, true, JSON.stringify(report.gates));
    assert.deepEqual(report.gates.map((g) => [g.name, g.passed]), [['validation', true], ['budgets', true], ['sqnr', true], ['version', true]]);
    assert.equal(report.reference, 'local:aios/cabin-occupancy:1.1.0');
    assert.deepEqual((await ws.registry.listTags('aios/cabin-occupancy')).sort(), ['1.1.0', 'dev']);

    const manifest = await readManifest(ws.registry, 'aios/cabin-occupancy', '1.1.0');
    assert.equal(manifest.digest, report.digest);
    assert.equal(manifest.artifactType, 'application/vnd.cncf.model.manifest.v1+json');
    assert.equal(manifest.config.mediaType, 'application/vnd.cncf.model.config.v1+json');
    const titles = manifest.layers.map((l) => [l.annotations?.['org.opencontainers.image.title'], l.mediaType]);
    assert.deepEqual(titles, [
      ['models/occupancy-transformer.onnx', artifactMediaTypes.weightRaw],
      ['reports/quantization.json', artifactMediaTypes.quantizationReport],
      ['reports/profile.json', artifactMediaTypes.profileReport],
      ['usecase/cabin-occupancy.usecase.yaml', artifactMediaTypes.useCase],
    ]);
    assert.equal(manifest.annotations?.['org.opencontainers.image.version'], '1.1.0');
    assert.equal(manifest.annotations?.['org.opencontainers.image.created'], '2026-12-01T11:00:00Z');
    const model = manifest.layers[0]!;
    assert.ok((await readBlob(ws.registry, 'aios/cabin-occupancy', model)).equals(readFileSync(join(ws.dir, 'models', 'occupancy-transformer.onnx'))));

    const referrers = await ws.registry.referrers('aios/cabin-occupancy', report.digest, releaseMetadataArtifactType);
    assert.equal(referrers.length, 1);
    const result = await verify(ws, '1.1.0');
    assert.deepEqual(result.problems, []);
    assert.equal(result.verified, true);
    assert.deepEqual(result.hardwareIds, ['body-control-module']);
    assert.equal(result.rolloutPercent, 1);
  });

  it('gives the same bytes for the same inputs; re-releasing the same version uploads nothing', async () => {
    const ws = await releaseWorkspace();
    const first = await release(ws);
    const again = await release(ws);
    assert.equal(again.digest, first.digest);
    assert.equal(again.unchanged, true);
    assert.equal(again.bytesUploaded, 0);
    assert.equal(again.released, true);
  });

  it('refuses a version that is not higher, and the same version with other content', async () => {
    const ws = await releaseWorkspace();
    await release(ws);
    writeFileSync(join(ws.dir, 'models', 'occupancy-transformer.onnx'), Buffer.concat([readFileSync(join(ws.dir, 'models', 'occupancy-transformer.onnx')), Buffer.from([0])]));
    const changed = await release(ws, { runs: await passingRuns(ws.file) });
    assert.equal(changed.released, false);
    assert.match(changed.gates.find((g) => g.name === 'version')!.detail, /already released .* with different content/);
    editUseCase(ws.file, { version: '1.0.9' });
    const lower = await release(ws, { runs: await passingRuns(ws.file) });
    assert.equal(lower.released, false);
    assert.match(lower.gates.find((g) => g.name === 'version')!.detail, /1\.0\.9 is not higher than 1\.1\.0/);
    assert.deepEqual((await ws.registry.listTags('aios/cabin-occupancy')).sort(), ['1.1.0', 'dev']);
  });

  it('stops at failed gates, and --force releases past them recording which', async () => {
    const ws = await releaseWorkspace();
    const runs = await passingRuns(ws.file, { sqnr: 20, fits: false });
    const stopped = await release(ws, { runs });
    assert.equal(stopped.released, false);
    assert.match(stopped.gates.find((g) => g.name === 'sqnr')!.detail, /20\.0 dB < 40 dB/);
    assert.match(stopped.gates.find((g) => g.name === 'budgets')!.detail, /over budget: nxp-imx8mp latency/);
    assert.deepEqual(await ws.registry.listTags('aios/cabin-occupancy'), []);
    const forced = await release(ws, { runs, force: true });
    assert.equal(forced.released, true);
    assert.deepEqual(forced.forcedGates, ['budgets', 'sqnr']);
    const verified = await verify(ws, '1.1.0');
    assert.equal(verified.verified, true);
    assert.deepEqual(verified.forcedGates, ['budgets', 'sqnr']);
  });

  it('reports a use case with errors as a failed validation gate, and one the schema rejects as bad input', async () => {
    const ws = await releaseWorkspace();
    editUseCase(ws.file, { soc: 'no-such-soc' });
    const report = await release(ws);
    assert.equal(report.released, false);
    const validation = report.gates.find((g) => g.name === 'validation')!;
    assert.equal(validation.passed, false);
    assert.match(validation.detail, /error/);
    editUseCase(ws.file, { domain: 'spaceship' });
    await assert.rejects(release(ws), (e) => e instanceof ReleaseInputError && /does not pass the use-case schema/.test(e.message));
  });

  it('detects a tampered blob', async () => {
    const ws = await releaseWorkspace();
    const report = await release(ws);
    const manifest = await readManifest(ws.registry, 'aios/cabin-occupancy', report.digest);
    const layer = manifest.layers.find((l) => l.mediaType === artifactMediaTypes.useCase)!;
    const path = ws.registry.blobPath(layer.digest);
    writeFileSync(path, readFileSync(path, 'utf8').replace('rollout', 'rollouT'));
    const result = await verify(ws, '1.1.0');
    assert.equal(result.verified, false);
    assert.match(result.problems.join('\n'), /usecase\/cabin-occupancy\.usecase\.yaml: .*does not match its digest/);
  });

  it('detects a tampered signature, a wrong key and expired metadata', async () => {
    const ws = await releaseWorkspace();
    const report = await release(ws);
    const other = await createKeyPair(join(ws.dir, 'other-keys'), 'other');
    const wrong = await verify(ws, '1.1.0', { trust: other.publicKeyFile });
    assert.equal(wrong.verified, false);
    assert.match(wrong.problems.join('\n'), /not among the trusted keys/);

    const expired = await verify(ws, '1.1.0', { now: new Date(Date.now() + 400 * 86_400_000) });
    assert.equal(expired.verified, false);
    assert.match(expired.problems.join('\n'), /expired on/);

    // Someone with write access to the registry (but not the key) edits the signed statement.
    const [referrer] = await ws.registry.referrers('aios/cabin-occupancy', report.digest, releaseMetadataArtifactType);
    const statementManifest = await readManifest(ws.registry, 'aios/cabin-occupancy', referrer!.digest);
    const original = await readBlob(ws.registry, 'aios/cabin-occupancy', statementManifest.layers[0]!);
    const edited = Buffer.from(original.toString().replace('"rolloutPercent": 1', '"rolloutPercent": 100'));
    assert.notEqual(edited.toString(), original.toString());
    await ws.registry.deleteManifest('aios/cabin-occupancy', referrer!.digest);
    await pushStatement(ws.registry, 'aios/cabin-occupancy', { mediaType: ociMediaTypes.imageManifest, digest: report.digest, size: (await ws.registry.getManifest('aios/cabin-occupancy', report.digest)).bytes.length }, edited, new Date());
    const tampered = await verify(ws, '1.1.0');
    assert.equal(tampered.verified, false);
    assert.match(tampered.problems.join('\n'), /does not verify: the release metadata was changed after signing/);
  });

  it('refuses a rollback to a version lower than one seen for that repository and hardware id', async () => {
    const ws = await releaseWorkspace();
    await release(ws);
    editUseCase(ws.file, { version: '1.2.0' });
    await release(ws);
    const store = new TrustStore(join(ws.dir, 'trust.json'));
    assert.equal((await verify(ws, '1.2.0', { store })).verified, true);
    const old = await verify(ws, '1.1.0', { store });
    assert.equal(old.verified, false);
    assert.match(old.problems.join('\n'), /rollback refused: 1\.1\.0 is lower than 1\.2\.0, already seen for aios\/cabin-occupancy on body-control-module/);
  });

  it('promotes with a new signed statement; the channel tag verifies with its rollout', async () => {
    const ws = await releaseWorkspace();
    const report = await release(ws);
    const promoted = await promoteRelease({ registry: ws.registry, reference: { registry: { kind: 'local' }, repository: 'aios/cabin-occupancy', tag: '1.1.0' }, channel: 'production', rolloutPercent: 25, key: ws.key, now: new Date() });
    assert.equal(promoted.digest, report.digest);
    const result = await verify(ws, 'production');
    assert.equal(result.verified, true, result.problems.join('; '));
    assert.equal(result.channel, 'production');
    assert.equal(result.rolloutPercent, 25);
    // A channel tag moved by hand (without a statement for it) does not verify.
    const bytes = (await ws.registry.getManifest('aios/cabin-occupancy', report.digest)).bytes;
    await ws.registry.pushManifest('aios/cabin-occupancy', 'validation', bytes, ociMediaTypes.imageManifest);
    const moved = await verify(ws, 'validation');
    assert.equal(moved.verified, false);
    assert.match(moved.problems.join('\n'), /signed for 'production' only|signed for 'dev' only/);
  });

  it('pulls the files into a new folder only when they verify', async () => {
    const ws = await releaseWorkspace();
    await release(ws);
    const out = join(ws.dir, 'pulled');
    const result = await verify(ws, 'dev', { outDir: out });
    assert.equal(result.verified, true);
    assert.ok(readFileSync(join(out, 'models', 'occupancy-transformer.onnx')).equals(readFileSync(join(ws.dir, 'models', 'occupancy-transformer.onnx'))));
    assert.equal(readStatement(readFileSync(join(out, 'release-metadata.json'))).facts.version, '1.1.0');
    await assert.rejects(verify(ws, 'dev', { outDir: out }), /not empty/);
  });

  it('downloads several layers at once while pulling', async () => {
    const ws = await releaseWorkspace();
    await release(ws);
    // Each download waits until a second one has started (or 2 s pass): one at a time would see 1.
    let open = 0;
    let most = 0;
    let started!: () => void;
    const second = new Promise<void>((resolve) => (started = resolve));
    const inner = ws.registry;
    const registry: Registry = Object.assign(Object.create(inner) as Registry, {
      openBlob: async (repository: string, descriptor: Descriptor, signal?: AbortSignal) => {
        most = Math.max(most, ++open);
        if (open >= 2) started();
        await Promise.race([second, new Promise((r) => setTimeout(r, 2_000))]);
        const stream = await inner.openBlob(repository, descriptor, signal);
        stream.once('close', () => open--);
        return stream;
      },
    });
    const result = await verify({ ...ws, registry }, 'dev', { outDir: join(ws.dir, 'pulled') });
    assert.equal(result.verified, true, result.problems.join('; '));
    assert.ok(most >= 2, `at most ${most} download(s) at once`);
  });

  it('keeps both releases when two run at once', async () => {
    const a = await releaseWorkspace();
    const b = { ...(await releaseWorkspace()), registry: a.registry };
    editUseCase(b.file, { version: '1.2.0', repository: 'aios/other' });
    const [ra, rb] = await Promise.all([release(a), release(b)]);
    assert.equal(ra.released && rb.released, true);
    assert.deepEqual(await a.registry.listRepositories(), ['aios/cabin-occupancy', 'aios/other']);
    assert.deepEqual((await a.registry.listTags('aios/other')).sort(), ['1.2.0', 'dev']);
    assert.equal((await verify(a, '1.1.0')).verified, true);
  });

  it('refuses a key file others can read, and a damaged one', async () => {
    const ws = await releaseWorkspace();
    const file = join(ws.dir, 'keys', 'test.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    chmodSync(file, 0o644);
    await assert.rejects(loadSigningKey(file), (e) => e instanceof KeyFileError && /can be read by other users \(mode 644\): run 'chmod 600/.test(e.message));
    chmodSync(file, 0o600);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { keyval: { public: string } };
    json.keyval.public = 'ab'.repeat(32);
    writeFileSync(file, JSON.stringify(json));
    await assert.rejects(loadSigningKey(file), /does not belong to keyval.private/);
    await assert.rejects(createKeyPair(join(ws.dir, 'keys'), 'test'), /already exists/);
  });

  it('signs TUF metadata that the TUF library verifies, and orders versions by SemVer', async () => {
    const ws = await releaseWorkspace();
    const bytes = signStatement(
      {
        facts: { repository: 'r', version: '1.0.0', channel: 'dev', rolloutPercent: 5, hardwareIds: ['ecu'], forcedGates: [], manifestDigest: `sha256:${'0'.repeat(64)}` },
        targets: [{ path: 'manifest.json', digest: `sha256:${'0'.repeat(64)}`, size: 10, mediaType: 'x' }],
        statementVersion: 1,
        expires: new Date('2030-01-01T00:00:00Z'),
      },
      ws.key,
    );
    const statement = readStatement(bytes);
    assert.equal(statement.expires, '2030-01-01T00:00:00Z');
    assert.equal(statement.metadata.signed.targets['manifest.json']?.length, 10);
    ws.key.publicKey.verifySignature(statement.metadata);
    assert.deepEqual(['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-alpha', '0.9.9'].sort(compareSemver), ['0.9.9', '1.2.0-alpha', '1.2.0-rc.1', '1.2.0', '1.10.0']);
  });
});
