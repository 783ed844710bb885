import type { Readable } from 'node:stream';

/**
 * The one interface every model registry implements: the embedded OCI image layout
 * (`layout/`) and any OCI Distribution registry over HTTP (`distribution/`). Release, pull,
 * verify and promote are written against this and never know which one they talk to.
 *
 * Rules every implementation keeps:
 * - Blobs stream: nothing holds a whole model in memory.
 * - Everything read is verified against its digest (and size where known): `openBlob`'s stream
 *   errors with a `RegistryError` of code `digestMismatch` instead of ending normally.
 * - A manifest is pushed only after all the blobs it names exist.
 * - `display` and every message are free of credentials.
 * - A cancelled `signal` rejects with the signal's reason and leaves nothing half-published.
 */
export interface Registry {
  /** For messages: `local (.aios/registry)`, `oci://127.0.0.1:5000`. Never carries credentials. */
  readonly display: string;
  hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Uploads `blob` unless the repository already has it (then `uploaded` is 0). `mountFrom`
   * names another repository of the same registry that may hold it (cross-repository mount).
   * `uploaded` counts the bytes actually sent.
   */
  pushBlob(repository: string, blob: BlobSource, options?: PushBlobOptions): Promise<{ readonly uploaded: number }>;
  /** The blob's bytes, verified while read against `descriptor.digest` and `descriptor.size`. */
  openBlob(repository: string, descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
  /** Stores the manifest under `reference` (a tag, or its own digest); returns its digest. */
  pushManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string>;
  /** By tag or digest; the bytes are verified against the digest (asked for or returned). `notFound` when absent. */
  getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestBytes>;
  /** The repository's tags, sorted; empty when the repository does not exist. */
  listTags(repository: string, signal?: AbortSignal): Promise<string[]>;
  /** Removes the manifest and every tag pointing at it. `notFound` when absent. */
  deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void>;
  /** Manifests whose `subject` is `digest` (OCI 1.1 referrers), optionally of one artifactType. */
  referrers(repository: string, digest: string, artifactType?: string, signal?: AbortSignal): Promise<Descriptor[]>;
  /** The repositories the registry holds (the Releases view); absent where the registry cannot list them. */
  listRepositories?(signal?: AbortSignal): Promise<string[]>;
}

/** An OCI content descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  /** `sha256:<64 hex>` */
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Bytes to upload, known by digest and size before the upload starts. */
export interface BlobSource {
  readonly digest: string;
  readonly size: number;
  /** A fresh stream of the bytes from offset `start` (default 0); called again to resume or retry. */
  open(start?: number): Readable;
  /** The file holding exactly these bytes, when there is one (lets a local registry copy or link it). */
  readonly path?: string;
}

export interface PushBlobOptions {
  readonly signal?: AbortSignal;
  readonly progress?: PushProgress;
  /** A repository of the same registry that may already hold the blob. */
  readonly mountFrom?: string;
}

/** Called as bytes of one blob are sent. */
export type PushProgress = (bytesDone: number, bytesTotal: number) => void;

export interface ManifestBytes {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  readonly digest: string;
}

export type RegistryErrorCode =
  /** The manifest, tag, blob or repository does not exist. */
  | 'notFound'
  /** Bytes read do not match the digest or size they were asked by. */
  | 'digestMismatch'
  /** Credentials missing or refused. */
  | 'unauthorized'
  /** Authenticated but not allowed. */
  | 'denied'
  /** Network or server could not be reached, or kept failing after retries. */
  | 'unavailable'
  /** The registry answered something this client cannot use (bad manifest, unexpected status). */
  | 'protocol'
  /** The input itself is wrong (bad repository name, manifest that is not JSON, ...). */
  | 'invalid';

/** The one error type registries throw, so callers can react to `code` and show `message`. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
