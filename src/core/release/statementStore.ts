import type { Key } from '@tufjs/models';
import { sha256Digest } from '../registry/digest';
import { emptyConfig, imageManifestSchema, ociAnnotations, ociMediaTypes, parseJson, type ImageManifest } from '../registry/oci';
import type { Descriptor, Registry } from '../registry/registry';
import { bytesBlob } from './artifact';
import { checkSignature, readStatement, releaseMetadataArtifactType, releaseMetadataMediaType, type ReadStatement } from './metadata';

/** A statement larger than this is refused unread (it is a few KiB per layer). */
const maxStatementBytes = 4 * 1024 * 1024;

/** Stores a signed statement as a referrer of `subject` (pushed by digest, untagged). Returns its manifest digest. */
export async function pushStatement(registry: Registry, repository: string, subject: Descriptor, statement: Uint8Array, signedAt: Date, signal?: AbortSignal): Promise<string> {
  const blob = bytesBlob(statement);
  const config = bytesBlob(Buffer.from('{}'));
  await registry.pushBlob(repository, config, signal ? { signal } : {});
  await registry.pushBlob(repository, blob, signal ? { signal } : {});
  const manifest = {
    schemaVersion: 2,
    mediaType: ociMediaTypes.imageManifest,
    artifactType: releaseMetadataArtifactType,
    config: { mediaType: emptyConfig.mediaType, digest: emptyConfig.digest, size: emptyConfig.size },
    layers: [{ mediaType: releaseMetadataMediaType, digest: blob.digest, size: blob.size, annotations: { [ociAnnotations.title]: 'release-metadata.json' } }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { [ociAnnotations.created]: signedAt.toISOString() },
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return registry.pushManifest(repository, sha256Digest(bytes), bytes, ociMediaTypes.imageManifest, signal);
}

export interface FoundStatement {
  readonly statement: ReadStatement;
  readonly bytes: Uint8Array;
  /** Empty when a trusted key signed it and it has not expired. */
  readonly problems: readonly string[];
}

/** Every release statement stored for `digest`, each checked against `trusted`; unreadable ones are reported in `unreadable`. */
export async function findStatements(registry: Registry, repository: string, digest: string, trusted: readonly Key[], now: Date, signal?: AbortSignal): Promise<{ found: FoundStatement[]; unreadable: string[] }> {
  const found: FoundStatement[] = [];
  const unreadable: string[] = [];
  for (const referrer of await registry.referrers(repository, digest, releaseMetadataArtifactType, signal)) {
    try {
      const manifest = await readManifest(registry, repository, referrer.digest, signal);
      const layer = manifest.layers.find((l) => l.mediaType === releaseMetadataMediaType);
      if (!layer) throw new Error('it has no release metadata layer');
      if (layer.size > maxStatementBytes) throw new Error(`its metadata is ${layer.size} bytes, more than a statement can be`);
      const bytes = await readBlob(registry, repository, layer, signal);
      const statement = readStatement(bytes);
      const problems = checkSignature(statement, trusted, now);
      if (statement.facts.manifestDigest !== digest) problems.push(`it was signed for ${statement.facts.manifestDigest}, not for ${digest}`);
      found.push({ statement, bytes, problems });
    } catch (e) {
      unreadable.push(`release metadata ${referrer.digest.slice(0, 19)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  found.sort((a, b) => b.statement.statementVersion - a.statement.statementVersion);
  return { found, unreadable };
}

export async function readManifest(registry: Registry, repository: string, reference: string, signal?: AbortSignal): Promise<ImageManifest & { readonly digest: string; readonly size: number; readonly storedMediaType: string }> {
  const got = await registry.getManifest(repository, reference, signal);
  const parsed = parseJson(got.bytes, imageManifestSchema);
  if (!parsed.ok) throw new Error(`${repository}@${got.digest} is not an OCI image manifest: ${parsed.error}`);
  return { ...parsed.value, digest: got.digest, size: got.bytes.length, storedMediaType: got.mediaType };
}

export async function readBlob(registry: Registry, repository: string, descriptor: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await registry.openBlob(repository, descriptor, signal)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
