import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkBytes, sha256Digest, splitDigest, verifyingStream } from '../digest';
import { imageIndexSchema, imageManifestSchema, ociAnnotations, ociMediaTypes, parseJson, type ImageIndex } from '../oci';
import { isDigest, isRepositoryName, isTag } from '../reference';
import { RegistryError, type BlobSource, type Descriptor, type ManifestBytes, type PushBlobOptions, type Registry } from '../registry';
import { withLockFile } from './lockFile';

/** Index entry annotations of ours: the repository of an untagged manifest, and a referrer's subject. */
export const layoutAnnotations = { repository: 'aios.repository', subject: 'aios.subject' } as const;

/** The embedded registry's folder: `AIOS_REGISTRY_DIR`, else `.aios/registry` under `root`. */
export function localRegistryDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['AIOS_REGISTRY_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? resolve(root, fromEnv) : join(root, '.aios', 'registry');
}

/**
 * The embedded registry: ONE OCI image layout for all repositories (SPEC §4). A tag is an
 * `index.json` entry whose `org.opencontainers.image.ref.name` is `<repository>:<tag>`, so
 * `local:aios/dms:1.3.0` is `oci:DIR:aios/dms:1.3.0` to skopeo. Untagged manifests (release
 * metadata referrers, manifests pushed by digest) are entries without a ref.name that carry
 * `aios.repository` (and `aios.subject` for referrers).
 *
 * Crash safety: blobs are written to a temp file, verified, then renamed into place;
 * `index.json` is replaced by rename under `index.json.lock`, re-read inside the lock, so two
 * processes releasing at once both land. Blobs are shared by all repositories (content
 * addressed); deleting a manifest leaves its blobs (no garbage collection yet).
 */
export class LayoutRegistry implements Registry {
  readonly display: string;

  constructor(readonly dir: string) {
    this.display = `local (${dir})`;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    checkRepository(repository);
    return (await fsp.stat(this.blobPath(digest)).catch(() => undefined))?.isFile() ?? false;
  }

  async pushBlob(repository: string, blob: BlobSource, options: PushBlobOptions = {}): Promise<{ uploaded: number }> {
    checkRepository(repository);
    if (await this.hasBlob(repository, blob.digest)) {
      options.progress?.(blob.size, blob.size);
      return { uploaded: 0 };
    }
    await this.ensureLayout();
    const temp = this.tempPath();
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        options.progress?.(done, blob.size);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(blob.open(0), counter, verifyingStream(blob.digest, blob.size, `blob ${blob.digest}`), createWriteStream(temp, { flags: 'wx' }), options.signal ? { signal: options.signal } : {});
      await fsp.rename(temp, this.blobPath(blob.digest));
    } catch (e) {
      await fsp.rm(temp, { force: true });
      throw e;
    }
    return { uploaded: blob.size };
  }

  async openBlob(repository: string, descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    checkRepository(repository);
    const path = this.blobPath(descriptor.digest);
    const handle = await fsp.open(path, 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new RegistryError('notFound', `blob ${descriptor.digest} is not in ${this.display}`);
      throw e;
    });
    const read = createReadStream('', { fd: handle, ...(signal ? { signal } : {}) });
    const verify = verifyingStream(descriptor.digest, descriptor.size, `blob ${descriptor.digest} of ${repository}`);
    read.on('error', (e) => verify.destroy(e));
    return read.pipe(verify);
  }

  async pushManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string> {
    checkRepository(repository);
    const digest = sha256Digest(bytes);
    const byDigest = isDigest(reference);
    if (byDigest && reference !== digest) throw new RegistryError('invalid', `the manifest's digest is ${digest}, not ${reference}`);
    if (!byDigest && !isTag(reference)) throw new RegistryError('invalid', `'${reference}' is neither a tag nor a digest`);
    const named = await this.namedContent(bytes, mediaType);
    for (const d of named.blobs) {
      if (!(await this.hasBlob(repository, d))) throw new RegistryError('invalid', `the manifest names ${d}, which is not in ${this.display}: push every blob before the manifest`);
    }
    signal?.throwIfAborted();
    await this.ensureLayout();
    await this.writeBlobBytes(digest, bytes);
    const entry: Descriptor = {
      mediaType,
      digest,
      size: bytes.length,
      ...(named.artifactType !== undefined ? { artifactType: named.artifactType } : {}),
      annotations: {
        ...(byDigest ? { [layoutAnnotations.repository]: repository } : { [ociAnnotations.refName]: `${repository}:${reference}` }),
        ...(named.subject !== undefined ? { [layoutAnnotations.subject]: named.subject } : {}),
      },
    };
    await this.updateIndex((manifests) => {
      if (byDigest) {
        return manifests.some((m) => m.digest === digest && repositoryOf(m) === repository) ? manifests : [...manifests, entry];
      }
      return [...manifests.filter((m) => m.annotations?.[ociAnnotations.refName] !== `${repository}:${reference}`), entry];
    }, signal);
    return digest;
  }

  async getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestBytes> {
    checkRepository(repository);
    const index = await this.readIndex();
    const entry = isDigest(reference)
      ? index.manifests.find((m) => m.digest === reference && repositoryOf(m) === repository)
      : index.manifests.find((m) => m.annotations?.[ociAnnotations.refName] === `${repository}:${reference}`);
    if (!entry) throw new RegistryError('notFound', `${repository}${isDigest(reference) ? '@' : ':'}${reference} is not in ${this.display}`);
    signal?.throwIfAborted();
    const bytes = await fsp.readFile(this.blobPath(entry.digest)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new RegistryError('notFound', `the manifest ${entry.digest} of ${repository} is listed in index.json but its blob is missing from ${this.display}`);
      throw e;
    });
    if (bytes.length !== entry.size) throw new RegistryError('digestMismatch', `the manifest ${entry.digest} of ${repository} has ${bytes.length} bytes, index.json says ${entry.size}`);
    checkBytes(bytes, entry.digest, `the manifest ${repository}@${entry.digest}`);
    return { bytes, mediaType: entry.mediaType, digest: entry.digest };
  }

  async listTags(repository: string): Promise<string[]> {
    checkRepository(repository);
    const prefix = `${repository}:`;
    return (await this.readIndex()).manifests
      .map((m) => m.annotations?.[ociAnnotations.refName])
      .filter((name): name is string => name !== undefined && name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
      .map((name) => name.slice(prefix.length))
      .sort();
  }

  async deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void> {
    checkRepository(repository);
    let found = false;
    await this.updateIndex((manifests) => {
      const kept = manifests.filter((m) => !(m.digest === digest && repositoryOf(m) === repository));
      found = kept.length !== manifests.length;
      return kept;
    }, signal);
    if (!found) throw new RegistryError('notFound', `${repository}@${digest} is not in ${this.display}`);
  }

  async referrers(repository: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
    checkRepository(repository);
    const seen = new Set<string>();
    return (await this.readIndex()).manifests
      .filter((m) => repositoryOf(m) === repository && m.annotations?.[layoutAnnotations.subject] === digest)
      .filter((m) => artifactType === undefined || m.artifactType === artifactType)
      .filter((m) => !seen.has(m.digest) && seen.add(m.digest) !== undefined)
      .map(({ mediaType, digest: d, size, artifactType: type }) => ({ mediaType, digest: d, size, ...(type !== undefined ? { artifactType: type } : {}) }));
  }

  async listRepositories(): Promise<string[]> {
    const repositories = new Set<string>();
    for (const m of (await this.readIndex()).manifests) {
      const repository = repositoryOf(m);
      if (repository !== undefined) repositories.add(repository);
    }
    return [...repositories].sort();
  }

  /** The file of a blob (for tests and the pull of a local release). */
  blobPath(digest: string): string {
    const { algorithm, hex } = splitDigest(digest);
    return join(this.dir, 'blobs', algorithm, hex);
  }

  private async namedContent(bytes: Uint8Array, mediaType: string): Promise<{ blobs: string[]; artifactType?: string; subject?: string }> {
    if (mediaType === ociMediaTypes.imageIndex) {
      const index = parseJson(bytes, imageIndexSchema);
      if (!index.ok) throw new RegistryError('invalid', `the image index is not valid: ${index.error}`);
      return { blobs: index.value.manifests.map((m) => m.digest), ...typeAndSubject(index.value.artifactType, index.value.subject?.digest) };
    }
    if (mediaType !== ociMediaTypes.imageManifest) throw new RegistryError('invalid', `manifest media type '${mediaType}' is not supported: use ${ociMediaTypes.imageManifest}`);
    const manifest = parseJson(bytes, imageManifestSchema);
    if (!manifest.ok) throw new RegistryError('invalid', `the image manifest is not valid: ${manifest.error}`);
    const m = manifest.value;
    const artifactType = m.artifactType ?? (m.config.mediaType !== ociMediaTypes.empty ? m.config.mediaType : undefined);
    return { blobs: [m.config.digest, ...m.layers.map((l) => l.digest)], ...typeAndSubject(artifactType, m.subject?.digest) };
  }

  private async writeBlobBytes(digest: string, bytes: Uint8Array): Promise<void> {
    const path = this.blobPath(digest);
    if (await fsp.stat(path).catch(() => undefined)) return;
    const temp = this.tempPath();
    await fsp.writeFile(temp, bytes, { flag: 'wx' });
    await fsp.rename(temp, path);
  }

  private async readIndex(): Promise<ImageIndex> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(join(this.dir, 'index.json'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, mediaType: ociMediaTypes.imageIndex, manifests: [] };
      throw e;
    }
    const index = parseJson(bytes, imageIndexSchema);
    if (!index.ok) throw new RegistryError('protocol', `${join(this.dir, 'index.json')} is not a valid OCI image index (${index.error}); restore it or move the folder away`);
    return index.value;
  }

  private async updateIndex(change: (manifests: Descriptor[]) => Descriptor[], signal?: AbortSignal): Promise<void> {
    await withLockFile(
      join(this.dir, 'index.json.lock'),
      async () => {
        const index = await this.readIndex();
        const updated = { ...index, schemaVersion: 2, mediaType: ociMediaTypes.imageIndex, manifests: change(index.manifests) };
        const temp = this.tempPath();
        await fsp.writeFile(temp, `${JSON.stringify(updated, null, 2)}\n`, { flag: 'wx' });
        await fsp.rename(temp, join(this.dir, 'index.json'));
      },
      signal ? { signal } : {},
    );
  }

  private async ensureLayout(): Promise<void> {
    await fsp.mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    const marker = join(this.dir, 'oci-layout');
    if (!(await fsp.stat(marker).catch(() => undefined))) {
      const temp = this.tempPath();
      await fsp.writeFile(temp, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
      await fsp.rename(temp, marker);
    }
  }

  private tempPath(): string {
    return join(this.dir, 'blobs', `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  }
}

function typeAndSubject(artifactType: string | undefined, subject: string | undefined): { artifactType?: string; subject?: string } {
  return { ...(artifactType !== undefined ? { artifactType } : {}), ...(subject !== undefined ? { subject } : {}) };
}

/** The repository an index entry belongs to: from its ref.name `<repository>:<tag>` or our annotation. */
function repositoryOf(entry: Descriptor): string | undefined {
  const name = entry.annotations?.[ociAnnotations.refName];
  if (name !== undefined) {
    const colon = name.lastIndexOf(':');
    return colon > 0 ? name.slice(0, colon) : undefined;
  }
  return entry.annotations?.[layoutAnnotations.repository];
}

function checkRepository(repository: string): void {
  if (!isRepositoryName(repository)) {
    throw new RegistryError('invalid', `'${repository}' is not a valid repository name: lower-case letters and digits, separated by '.', '_', '-' or '/'`);
  }
}
