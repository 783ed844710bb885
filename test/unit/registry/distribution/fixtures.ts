/** Test artifacts for the OCI client: deterministic blobs, an image manifest over them, a client with fast retries. */
import { createCipheriv, createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import type { RetryPolicy } from '../../../../src/core/registry/distribution/backoff';
import { OciRegistry, type OciRegistryOptions } from '../../../../src/core/registry/distribution/client';
import type { BlobSource } from '../../../../src/core/registry/registry';
import { bytesBlob } from '../../../../src/core/registry/distribution/fileBlob';
import { noCredentials } from '../../../../src/core/registry/credentials/credentials';

export const fastRetry: RetryPolicy = { attempts: 6, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5000 };

export function client(host: string, options: Partial<OciRegistryOptions> = {}): OciRegistry {
  return new OciRegistry({ host, credentials: noCredentials, retry: fastRetry, idleTimeoutMs: 10_000, ...options });
}

/** `size` pseudo-random bytes from `seed`, produced on demand from any offset (never all in memory). */
export function generatedBlob(seed: string, size: number): BlobSource & { bytesAt(start: number, end: number): Buffer } {
  const block = 64 * 1024;
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const zeros = Buffer.alloc(block);
  const blockBytes = (i: number) => {
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(i, 0);
    return createCipheriv('aes-128-ctr', key, iv).update(zeros);
  };
  const bytesAt = (start: number, end: number) => {
    const parts: Buffer[] = [];
    for (let i = Math.floor(start / block); i * block < end; i++) {
      const b = blockBytes(i);
      parts.push(b.subarray(Math.max(start - i * block, 0), Math.min(end - i * block, block)));
    }
    return Buffer.concat(parts);
  };
  const hash = createHash('sha256');
  for (let s = 0; s < size; s += block) hash.update(bytesAt(s, Math.min(s + block, size)));
  return {
    digest: `sha256:${hash.digest('hex')}`,
    size,
    bytesAt,
    open: (start = 0) =>
      Readable.from(
        (function* () {
          for (let s = start; s < size; s += block) yield bytesAt(s, Math.min(s + block, size));
        })(),
      ),
  };
}

export interface TestArtifact {
  readonly config: BlobSource & { bytes: Uint8Array };
  readonly layers: readonly BlobSource[];
  readonly manifest: Uint8Array;
  readonly mediaType: string;
}

export function artifact(layers: readonly BlobSource[], extra: Record<string, unknown> = {}): TestArtifact {
  const configBytes = new TextEncoder().encode(JSON.stringify({ descriptor: { name: 'test' }, layers: layers.length }));
  const config = { ...bytesBlob(configBytes), bytes: configBytes };
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      artifactType: 'application/vnd.cncf.model.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.model.config.v1+json', digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.cncf.model.weight.v1.raw', digest: l.digest, size: l.size })),
      ...extra,
    }),
  );
  return { config, layers, manifest, mediaType };
}

/** Blobs first, then the manifest: the order a release pushes in. */
export async function pushArtifact(registry: OciRegistry, repository: string, tag: string, a: TestArtifact, options: { progress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<{ digest: string; uploaded: number }> {
  let uploaded = 0;
  for (const blob of [a.config, ...a.layers]) uploaded += (await registry.pushBlob(repository, blob, options)).uploaded;
  const digest = await registry.pushManifest(repository, tag, a.manifest, a.mediaType, options.signal);
  return { digest, uploaded };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts);
}

export function skopeo(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', [...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) => (error ? reject(new Error(`skopeo ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}
