import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { RegistryError } from './registry';

/** `sha256:<hex>` of `bytes`. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The hash algorithm and hex of a digest: `sha256:ab…` -> `['sha256', 'ab…']`. */
export function splitDigest(digest: string): { readonly algorithm: 'sha256' | 'sha512'; readonly hex: string } {
  const match = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  if (!match) throw new RegistryError('invalid', `'${digest}' is not a sha256 or sha512 digest`);
  return { algorithm: match[1] as 'sha256' | 'sha512', hex: match[2] ?? '' };
}

/** Throws `digestMismatch` unless `bytes` hash to `digest`. */
export function checkBytes(bytes: Uint8Array, digest: string, what: string): void {
  const { algorithm, hex } = splitDigest(digest);
  const actual = createHash(algorithm).update(bytes).digest('hex');
  if (actual !== hex) {
    throw new RegistryError('digestMismatch', `${what} does not match its digest: expected ${digest}, got ${algorithm}:${actual} (tampered or corrupted; nothing was used)`);
  }
}

/**
 * A pass-through stream that errors with `digestMismatch` at its end (instead of ending) when
 * the bytes through it do not hash to `digest` or are not `size` bytes long; it errors as soon
 * as more than `size` bytes arrive. Pipe what a registry returns through it before using it.
 */
export function verifyingStream(digest: string, size: number | undefined, what: string): Transform {
  const { algorithm, hex } = splitDigest(digest);
  const hash = createHash(algorithm);
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (size !== undefined && seen > size) {
        callback(new RegistryError('digestMismatch', `${what} is longer than its ${size} bytes (tampered or corrupted; nothing was used)`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (size !== undefined && seen !== size) {
        callback(new RegistryError('digestMismatch', `${what} has ${seen} bytes, its descriptor says ${size} (truncated or tampered; nothing was used)`));
        return;
      }
      const actual = hash.digest('hex');
      if (actual !== hex) {
        callback(new RegistryError('digestMismatch', `${what} does not match its digest: expected ${digest}, got ${algorithm}:${actual} (tampered or corrupted; nothing was used)`));
        return;
      }
      callback();
    },
  });
}
