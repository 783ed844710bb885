import type { Readable } from 'node:stream';
import { defaultRetryPolicy } from './backoff';
import { sha256Digest } from '../digest';
import { RegistryError, type BlobSource, type Descriptor, type ManifestBytes, type PushBlobOptions, type Registry } from '../registry';
import { openDownload } from './download';
import { fallbackTag, mergeReferrer, parseIndex, removeReferrer, subjectOf } from './referrers';
import { RegistryTransport, type TransportOptions } from './transport';
import { unexpected, uploadBlob } from './upload';

export interface OciRegistryOptions extends TransportOptions {
  /** Blobs up to this size are uploaded in one request (default 8 MiB). */
  readonly monolithicMax?: number;
  /** PATCH chunk size for larger blobs (default 64 MiB): what a failure costs at most to send again. */
  readonly chunkSize?: number;
  /** Tags and repositories asked for per page (default 1000; the registry may send fewer). */
  readonly pageSize?: number;
}

export const manifestMediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const acceptManifests = Object.values(manifestMediaTypes).join(', ');
const maxManifestBytes = 4 * 1024 * 1024;

/**
 * A client of any OCI Distribution registry (`oci://host[:port]/repo...`): blobs, manifests,
 * tags, delete and referrers (the OCI 1.1 API, or its fallback tag `sha256-<hex>` where the
 * registry has none). Every read is verified against its digest and size; blobs stream.
 */
export class OciRegistry implements Registry {
  readonly display: string;
  readonly transport: RegistryTransport;
  private readonly monolithicMax: number;
  private readonly chunkSize: number;

  constructor(private readonly options: OciRegistryOptions) {
    this.transport = new RegistryTransport(options);
    this.display = `oci://${options.host}`;
    this.monolithicMax = options.monolithicMax ?? 8 * 1024 * 1024;
    this.chunkSize = options.chunkSize ?? 64 * 1024 * 1024;
  }

  async hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const response = await this.transport.send({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, scope: { repository, actions: 'pull' }, signal, what: `blob ${digest} of ${repository}` });
    await response.body?.cancel();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await unexpected(response, `the check for blob ${digest} of ${repository}`, this.transport.host);
  }

  /** Uploads the blob unless the repository has it (then `uploaded` is 0). */
  async pushBlob(repository: string, blob: BlobSource, options: PushBlobOptions = {}): Promise<{ uploaded: number }> {
    if (await this.hasBlob(repository, blob.digest, options.signal)) {
      options.progress?.(blob.size, blob.size);
      return { uploaded: 0 };
    }
    const result = await uploadBlob(this.transport, repository, blob, {
      ...options,
      monolithicMax: this.monolithicMax,
      chunkSize: this.chunkSize,
      retry: this.options.retry ?? defaultRetryPolicy,
      random: this.options.random ?? Math.random,
    });
    return { uploaded: result.uploaded };
  }

  /** The blob's bytes; the stream fails (rather than ends) if they do not match the descriptor's digest and size. */
  async openBlob(repository: string, descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    return openDownload(this.transport, repository, descriptor, {
      signal,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
      retry: this.options.retry ?? defaultRetryPolicy,
      random: this.options.random ?? Math.random,
    });
  }

  /**
   * Puts a manifest under `reference` (a tag or its digest) and returns its digest. Every blob
   * it names must already be in the repository (checked first: a manifest is never published
   * ahead of its blobs). A manifest with a `subject` is also added to the subject's fallback
   * referrers tag when the registry does not index referrers itself.
   */
  async pushManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string> {
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && reference !== digest) throw new RegistryError('digestMismatch', `The manifest's digest is ${digest}, not ${reference}.`);
    const parsed = parseJson(bytes, 'the manifest to push');
    for (const blob of referencedBlobs(parsed)) {
      if (!(await this.hasBlob(repository, blob, signal))) {
        throw new RegistryError('notFound', `The manifest for ${repository}:${reference} names blob ${blob}, which is not in the repository at ${this.transport.host}: push its blobs first.`);
      }
    }
    const what = `manifest ${repository}:${reference}`;
    const response = await this.transport.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      scope: { repository, actions: 'pull,push' },
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
      signal,
      what,
    });
    if (response.status !== 201 && response.status !== 200) throw await unexpected(response, `the push of ${what}`, this.transport.host);
    await response.body?.cancel();
    const stored = response.headers.get('docker-content-digest');
    if (stored && stored !== digest) throw new RegistryError('digestMismatch', `Registry ${this.transport.host} stored ${what} as ${stored}, not ${digest}.`);
    const subject = subjectOf(parsed);
    if (subject && !response.headers.has('oci-subject')) {
      await this.updateFallback(repository, subject, signal, (index) => mergeReferrer(index, { mediaType, digest, size: bytes.length, ...descriptorFields(parsed) }));
    }
    return digest;
  }

  async getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestBytes> {
    const found = await this.findManifest(repository, reference, signal);
    if (!found) throw new RegistryError('notFound', `There is no manifest ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference} at ${this.transport.host} (404): check the repository and tag (aios tags are versions and channels).`);
    return found;
  }

  /** The tags of a repository, all pages; none for a repository that does not exist. */
  async listTags(repository: string, signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let url: string | undefined = `/v2/${repository}/tags/list?n=${this.options.pageSize ?? 1000}`;
    while (url) {
      const response = await this.transport.send({ method: 'GET', url, scope: { repository, actions: 'pull' }, signal, what: `the tags of ${repository}` });
      if (response.status === 404) {
        await response.body?.cancel();
        return tags.sort();
      }
      if (response.status !== 200) throw await unexpected(response, `a list of the tags of ${repository}`, this.transport.host);
      const body = (await response.json()) as { tags?: unknown };
      if (Array.isArray(body.tags)) tags.push(...body.tags.filter((t): t is string => typeof t === 'string'));
      url = nextLink(response.headers.get('link'));
    }
    return tags.sort();
  }

  /** Repositories the registry lists in its catalog (registries may refuse or limit it). */
  async listRepositories(signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    let url: string | undefined = `/v2/_catalog?n=${this.options.pageSize ?? 1000}`;
    while (url) {
      const response = await this.transport.send({ method: 'GET', url, scope: { actions: '*' }, signal, what: 'the repository catalog' });
      if (response.status !== 200) throw await unexpected(response, 'a list of the repositories', this.transport.host);
      const body = (await response.json()) as { repositories?: unknown };
      if (Array.isArray(body.repositories)) names.push(...body.repositories.filter((t): t is string => typeof t === 'string'));
      url = nextLink(response.headers.get('link'));
    }
    return names;
  }

  /** Deletes a manifest by digest (tags pointing at it go with it); a referrer leaves the fallback index too. */
  async deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void> {
    const existing = await this.findManifest(repository, digest, signal);
    if (!existing) throw new RegistryError('notFound', `There is no manifest ${repository}@${digest} at ${this.transport.host} to delete.`);
    const what = `the deletion of ${repository}@${digest}`;
    const response = await this.transport.send({ method: 'DELETE', url: `/v2/${repository}/manifests/${digest}`, scope: { repository, actions: 'delete' }, signal, what });
    await response.body?.cancel();
    if (response.status === 405) throw new RegistryError('protocol', `Registry ${this.transport.host} does not allow deleting manifests (405): its operator must enable deletion.`);
    if (response.status === 404) throw new RegistryError('notFound', `There is no manifest ${repository}@${digest} at ${this.transport.host} to delete.`);
    if (response.status !== 202 && response.status !== 200) throw await unexpected(response, what, this.transport.host);
    const subject = subjectOf(parseJson(existing.bytes, `manifest ${digest}`));
    if (subject) await this.updateFallback(repository, subject, signal, (index) => removeReferrer(index, digest), true);
  }

  /**
   * Manifests that name `digest` as their subject, optionally of one artifact type: the
   * registry's referrers API, or the fallback tag `sha256-<hex>` where it has none (Distribution 2.8).
   */
  async referrers(repository: string, digest: string, artifactType?: string, signal?: AbortSignal): Promise<Descriptor[]> {
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const response = await this.transport.send({ method: 'GET', url: `/v2/${repository}/referrers/${digest}${query}`, scope: { repository, actions: 'pull' }, signal, what: `the referrers of ${digest}` });
    let descriptors: Descriptor[];
    if (response.status === 200) {
      descriptors = parseIndex(new Uint8Array(await response.arrayBuffer()), `the referrers of ${digest}`).manifests;
    } else if (response.status === 404) {
      await response.body?.cancel();
      const fallback = await this.findManifest(repository, fallbackTag(digest), signal);
      descriptors = fallback ? parseIndex(fallback.bytes, `the referrers tag of ${digest}`).manifests : [];
    } else {
      throw await unexpected(response, `a list of the referrers of ${digest}`, this.transport.host);
    }
    return artifactType ? descriptors.filter((d) => d.artifactType === artifactType) : descriptors;
  }

  private async findManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestBytes | undefined> {
    const what = `manifest ${repository}:${reference}`;
    const response = await this.transport.send({ method: 'GET', url: `/v2/${repository}/manifests/${reference}`, scope: { repository, actions: 'pull' }, headers: { accept: acceptManifests }, signal, what });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (response.status !== 200) throw await unexpected(response, `a read of ${what}`, this.transport.host);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxManifestBytes) {
      await response.body?.cancel();
      throw new RegistryError('protocol', `The ${what} at ${this.transport.host} is ${declared} bytes; manifests over 4 MiB are refused.`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    const expected = reference.startsWith('sha256:') ? reference : response.headers.get('docker-content-digest');
    if (expected && expected.startsWith('sha256:') && expected !== digest) {
      throw new RegistryError('digestMismatch', `The ${what} at ${this.transport.host} has digest ${digest}, not ${expected}: refusing it (tampered or corrupted).`);
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim() || mediaTypeOf(parseJson(bytes, what));
    return { bytes, mediaType, digest };
  }

  private async updateFallback(repository: string, subject: string, signal: AbortSignal | undefined, change: (index: Descriptor[]) => Descriptor[], onlyIfPresent = false): Promise<void> {
    const tag = fallbackTag(subject);
    const current = await this.findManifest(repository, tag, signal);
    if (!current && onlyIfPresent) return;
    const before = current ? parseIndex(current.bytes, `the referrers tag ${tag}`).manifests : [];
    const after = change(before);
    if (current && after.length === before.length && after.every((d, i) => d.digest === before[i]?.digest)) return;
    const index = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: manifestMediaTypes.ociIndex, manifests: after }));
    const response = await this.transport.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${tag}`,
      scope: { repository, actions: 'pull,push' },
      headers: { 'content-type': manifestMediaTypes.ociIndex, 'content-length': String(index.length) },
      body: () => index,
      signal,
      what: `the referrers tag ${tag} of ${repository}`,
    });
    if (response.status !== 201 && response.status !== 200) throw await unexpected(response, `the update of the referrers tag ${tag}`, this.transport.host);
    await response.body?.cancel();
  }
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new RegistryError('protocol', `${what} is not JSON.`);
  }
}

function mediaTypeOf(manifest: unknown): string {
  const value = (manifest as { mediaType?: unknown } | null)?.mediaType;
  return typeof value === 'string' ? value : manifestMediaTypes.ociManifest;
}

/** Config and layer digests of an image manifest (an index names manifests, not blobs). */
function referencedBlobs(manifest: unknown): string[] {
  const m = manifest as { config?: { digest?: unknown }; layers?: { digest?: unknown }[] } | null;
  const digests = [m?.config?.digest, ...(Array.isArray(m?.layers) ? m.layers.map((l) => l?.digest) : [])];
  return [...new Set(digests.filter((d): d is string => typeof d === 'string'))];
}

/** `artifactType` (or the config's media type, as OCI 1.1 says) and annotations for a referrers entry. */
function descriptorFields(manifest: unknown): { artifactType?: string; annotations?: Record<string, string> } {
  const m = manifest as { artifactType?: unknown; config?: { mediaType?: unknown }; annotations?: unknown } | null;
  const artifactType = typeof m?.artifactType === 'string' ? m.artifactType : typeof m?.config?.mediaType === 'string' ? m.config.mediaType : undefined;
  const annotations = m?.annotations && typeof m.annotations === 'object' ? (m.annotations as Record<string, string>) : undefined;
  return { ...(artifactType ? { artifactType } : {}), ...(annotations ? { annotations } : {}) };
}

/** The `rel="next"` target of a `Link` header (`</v2/...?last=x&n=100>; rel="next"`). */
function nextLink(link: string | null): string | undefined {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
  return match?.[1];
}
