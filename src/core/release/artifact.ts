import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { sha256Digest } from '../registry/digest';
import { ociAnnotations, ociMediaTypes } from '../registry/oci';
import type { BlobSource, Descriptor } from '../registry/registry';
import { sha256File } from '../fs';
import type { UseCase } from '../usecase/schema';

/** CNCF ModelPack media types (model-spec v1) and ours where ModelPack has none. */
export const artifactMediaTypes = {
  artifactType: 'application/vnd.cncf.model.manifest.v1+json',
  config: 'application/vnd.cncf.model.config.v1+json',
  weightRaw: 'application/vnd.cncf.model.weight.v1.raw',
  docRaw: 'application/vnd.cncf.model.doc.v1.raw',
  useCase: 'application/vnd.aios.usecase.v1+yaml',
  quantizationReport: 'application/vnd.aios.report.quantization.v1+json',
  profileReport: 'application/vnd.aios.report.profile.v1+json',
  replayReport: 'application/vnd.aios.report.replay.v1+json',
} as const;

/** ModelPack's layer annotation naming the file's path inside the model. */
export const filepathAnnotation = 'org.cncf.model.filepath';

/** One layer: a file on disk or bytes made here (reports), and where it goes in the artifact. */
export interface ArtifactPart {
  /** Path inside the artifact, `/`-separated: `models/dms.onnx`, `reports/profile.json`. */
  readonly path: string;
  readonly mediaType: string;
  readonly source: { readonly file: string } | { readonly bytes: Uint8Array };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ArtifactFacts {
  readonly useCase: UseCase;
  readonly version: string;
  /** RFC 3339; derived from the inputs, never from the clock (see `createdFrom`). */
  readonly created: string;
  readonly source?: string;
  readonly revision?: string;
}

export interface BuiltArtifact {
  readonly manifest: Uint8Array;
  readonly digest: string;
  readonly config: BlobSource;
  readonly layers: readonly Descriptor[];
  /** Config first, then the layers in manifest order. */
  readonly blobs: readonly BlobSource[];
}

/**
 * Packs the parts as an OCI image manifest with the ModelPack artifact type and config. Each
 * layer is one raw file (its digest is the file's sha256). The bytes depend only on the parts
 * and the facts: the same inputs give the same manifest digest.
 */
export async function buildArtifact(parts: readonly ArtifactPart[], facts: ArtifactFacts): Promise<BuiltArtifact> {
  const layerBlobs: BlobSource[] = [];
  const layers: Descriptor[] = [];
  for (const part of parts) {
    const blob = await blobOf(part);
    layerBlobs.push(blob);
    layers.push({
      mediaType: part.mediaType,
      digest: blob.digest,
      size: blob.size,
      annotations: { [ociAnnotations.title]: part.path, [filepathAnnotation]: part.path, ...part.annotations },
    });
  }
  const { useCase } = facts;
  const precision = parts.some((p) => p.annotations?.['aios.precision'] !== undefined && p.annotations['aios.precision'] !== 'fp32')
    ? (useCase.quantization?.precision ?? 'mixed')
    : 'fp32';
  const config = {
    descriptor: {
      createdAt: facts.created,
      ...(useCase.owner !== undefined ? { authors: [useCase.owner] } : {}),
      name: useCase.name,
      version: facts.version,
      ...(useCase.description !== undefined ? { description: useCase.description } : {}),
      ...(facts.source !== undefined ? { sourceURL: facts.source } : {}),
      ...(facts.revision !== undefined ? { revision: facts.revision } : {}),
    },
    config: { format: 'onnx', precision, ...(precision !== 'fp32' ? { quantization: `aios-${useCase.quantization?.method ?? 'minmax'}` } : {}) },
    modelfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  };
  const configBlob = bytesBlob(Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: ociMediaTypes.imageManifest,
    artifactType: artifactMediaTypes.artifactType,
    config: { mediaType: artifactMediaTypes.config, digest: configBlob.digest, size: configBlob.size },
    layers,
    annotations: {
      [ociAnnotations.created]: facts.created,
      [ociAnnotations.version]: facts.version,
      [ociAnnotations.title]: useCase.name,
      ...(useCase.description !== undefined ? { [ociAnnotations.description]: useCase.description } : {}),
      ...(facts.source !== undefined ? { [ociAnnotations.source]: facts.source } : {}),
      ...(facts.revision !== undefined ? { [ociAnnotations.revision]: facts.revision } : {}),
      'aios.usecase': useCase.name,
      'aios.domain': useCase.domain,
      ...(useCase.deployment?.ecu !== undefined ? { 'aios.hardwareId': useCase.deployment.ecu } : {}),
      ...(useCase.safety?.asil !== undefined ? { 'aios.asil': useCase.safety.asil } : {}),
    },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return { manifest: manifestBytes, digest: sha256Digest(manifestBytes), config: configBlob, layers, blobs: [configBlob, ...layerBlobs] };
}

export function bytesBlob(bytes: Uint8Array): BlobSource {
  return { digest: sha256Digest(bytes), size: bytes.length, open: (start = 0) => Readable.from([Buffer.from(bytes.subarray(start))]) };
}

async function blobOf(part: ArtifactPart): Promise<BlobSource> {
  if ('bytes' in part.source) return bytesBlob(part.source.bytes);
  const file = part.source.file;
  const [info, hex] = await Promise.all([stat(file), sha256File(file)]);
  return { digest: `sha256:${hex}`, size: info.size, path: file, open: (start = 0) => createReadStream(file, { start }) };
}

/** The artifact path of a workspace file: its name under `folder` (`models/dms.onnx`). */
export function partPath(folder: string, file: string): string {
  return `${folder}/${basename(file)}`;
}

/** Deterministic JSON bytes of a report (keys in a fixed order as given, two-space indent). */
export function reportBytes(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}
