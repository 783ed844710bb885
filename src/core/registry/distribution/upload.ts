import { abortableDelay, retryDelayMs, type RetryPolicy } from './backoff';
import { RegistryError, type BlobSource, type PushProgress } from '../registry';
import { distributionError } from './errors';
import type { RegistryTransport } from './transport';

export interface UploadOptions {
  readonly signal?: AbortSignal;
  readonly progress?: PushProgress;
  /** Ask the registry to link the blob from this repository instead of uploading it. */
  readonly mountFrom?: string;
  /** Blobs up to this size go in one PUT; larger ones in PATCH chunks of `chunkSize`. */
  readonly monolithicMax: number;
  readonly chunkSize: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
}

export interface UploadResult {
  /** Bytes of the blob sent over the wire (0 when mounted; more than its size when parts were sent again). */
  readonly uploaded: number;
  readonly mounted: boolean;
}

type Session = { readonly mounted: true } | { readonly mounted: false; location: string; readonly minChunk: number };

/** A failure worth trying again from the registry's reported offset (or a new session). */
function isTransient(error: unknown): boolean {
  return error instanceof RegistryError && error.code === 'unavailable';
}

/**
 * Uploads one blob (the caller has checked it is missing): a cross-repository mount when
 * asked, else one PUT for a small blob or PATCH chunks for a large one. After a reset, a
 * timeout or a 5xx the upload asks the registry how far it got (`GET` on the session: its
 * `Range`) and goes on from there; when the session is gone it starts a new one. Bytes are
 * streamed from `blob.open`, never held whole.
 */
export async function uploadBlob(transport: RegistryTransport, repository: string, blob: BlobSource, options: UploadOptions): Promise<UploadResult> {
  const what = `blob ${blob.digest} of ${repository}`;
  let uploaded = 0;
  let failures = 0;
  const report = (done: number) => options.progress?.(done, blob.size);
  const recover = async (error: unknown) => {
    if (!isTransient(error) || ++failures >= options.retry.attempts) throw error;
    await abortableDelay(retryDelayMs(options.retry, failures, null, Date.now(), options.random), options.signal);
  };

  let session = await startSession(transport, repository, blob.digest, options.mountFrom, options.signal);
  if (session.mounted) {
    report(blob.size);
    return { uploaded: 0, mounted: true };
  }
  let offset = 0;
  for (;;) {
    if (session.mounted) return { uploaded, mounted: true };
    try {
      if (blob.size <= options.monolithicMax && offset === 0) {
        await finish(transport, repository, session.location, blob, what, options.signal, { start: 0, onBytes: (n, sent) => ((uploaded += n), report(sent)) });
        return { uploaded, mounted: false };
      }
      const chunk = Math.max(options.chunkSize, session.minChunk);
      while (offset < blob.size) {
        const end = Math.min(offset + chunk, blob.size);
        const base = offset;
        const response = await transport.send({
          method: 'PATCH',
          url: session.location,
          scope: { repository, actions: 'pull,push' },
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${end - 1}`, 'content-length': String(end - offset) },
          body: (touch) => counted(slice(blob, offset, end), touch, (n, sent) => ((uploaded += n), report(base + sent))),
          retry: false,
          signal: options.signal,
          what,
        });
        if (response.status === 404 || response.status === 416 || response.status === 400) {
          // The session is gone or out of step with us: start again.
          await response.body?.cancel();
          throw new RegistryError('unavailable', `${what}: the registry dropped the upload session (${response.status})`);
        }
        if (response.status !== 202) throw await unexpected(response, what, transport.host);
        await response.body?.cancel();
        session.location = response.headers.get('location') ?? session.location;
        offset = rangeEnd(response.headers.get('range')) ?? end;
        report(offset);
      }
      await finish(transport, repository, session.location, blob, what, options.signal);
      return { uploaded, mounted: false };
    } catch (error) {
      await recover(error);
      const resumed = await resumeOffset(transport, repository, session.location, what, options.signal);
      if (resumed === undefined || resumed.offset > blob.size) {
        if (await blobExists(transport, repository, blob.digest, options.signal)) return { uploaded, mounted: false };
        session = await startSession(transport, repository, blob.digest, undefined, options.signal);
        offset = 0;
      } else {
        session.location = resumed.location;
        offset = resumed.offset;
      }
    }
  }
}

/** Bytes `start` to `end` of the blob, from a fresh stream that is closed once they are read. */
async function* slice(blob: BlobSource, start: number, end: number): AsyncGenerator<Buffer> {
  const stream = blob.open(start);
  let left = end - start;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (left <= 0) break;
      const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= part.length;
      yield part;
    }
  } finally {
    stream.destroy();
  }
  if (left > 0) throw new RegistryError('invalid', `The local bytes of blob ${blob.digest} end ${left} bytes short of its size ${blob.size}: the file changed since it was packed.`);
}

/** Passes chunks on, each counted (`onBytes(chunk, sentSoFar)`) and keeping the request's idle timer alive. */
async function* counted(stream: AsyncIterable<Buffer>, touch: () => void, onBytes: (chunk: number, sent: number) => void): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    touch();
    sent += chunk.length;
    onBytes(chunk.length, sent);
    yield chunk;
  }
}

async function startSession(transport: RegistryTransport, repository: string, digest: string, mountFrom: string | undefined, signal: AbortSignal | undefined): Promise<Session> {
  const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : '';
  const what = `upload of ${digest} to ${repository}`;
  const response = await transport.send({
    method: 'POST',
    url: `/v2/${repository}/blobs/uploads/${query}`,
    scope: { repository, actions: 'pull,push', alsoPullFrom: mountFrom },
    headers: { 'content-length': '0' },
    signal,
    what,
  });
  await response.body?.cancel();
  if (response.status === 201 && mountFrom) return { mounted: true };
  const location = response.headers.get('location');
  if (response.status !== 202 || !location) throw await unexpected(response, what, transport.host);
  const minChunk = Number(response.headers.get('oci-chunk-min-length') ?? 0);
  return { mounted: false, location, minChunk: Number.isFinite(minChunk) ? minChunk : 0 };
}

/** Closes the session with `?digest=`; with `body`, sends the whole blob in this PUT (monolithic). */
async function finish(
  transport: RegistryTransport,
  repository: string,
  location: string,
  blob: BlobSource,
  what: string,
  signal: AbortSignal | undefined,
  body?: { start: number; onBytes: (chunk: number, sent: number) => void },
): Promise<void> {
  const url = new URL(transport.resolve(location));
  url.searchParams.set('digest', blob.digest);
  const response = await transport.send({
    method: 'PUT',
    url: url.toString(),
    scope: { repository, actions: 'pull,push' },
    headers: body ? { 'content-type': 'application/octet-stream', 'content-length': String(blob.size - body.start) } : { 'content-length': '0' },
    body: body ? (touch) => counted(slice(blob, body.start, blob.size), touch, body.onBytes) : undefined,
    retry: false,
    signal,
    what,
  });
  if (response.status === 201) {
    await response.body?.cancel();
    const stored = response.headers.get('docker-content-digest');
    if (stored && stored !== blob.digest) throw new RegistryError('digestMismatch', `Registry ${transport.host} stored ${what} as ${stored}: the bytes read locally changed during the upload.`);
    return;
  }
  if (response.status === 400) {
    const detail = distributionError(await response.text());
    if (detail?.startsWith('DIGEST_INVALID') || detail?.startsWith('SIZE_INVALID')) {
      throw new RegistryError('digestMismatch', `Registry ${transport.host} refused ${what}: the bytes sent do not match the digest (${detail}); the local file changed or is corrupt.`);
    }
    throw new RegistryError('unavailable', `${what}: the registry refused to close the upload (400${detail ? ` ${detail}` : ''})`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new RegistryError('unavailable', `${what}: the registry lost the upload session (404)`);
  }
  throw await unexpected(response, what, transport.host);
}

/** Where the registry says the session stands (`Range: 0-<last byte>`), or undefined when the session is gone. */
async function resumeOffset(transport: RegistryTransport, repository: string, location: string, what: string, signal: AbortSignal | undefined): Promise<{ location: string; offset: number } | undefined> {
  const response = await transport.send({ method: 'GET', url: location, scope: { repository, actions: 'pull,push' }, signal, what: `status of ${what}` });
  await response.body?.cancel();
  if (response.status !== 204 && response.status !== 202) return undefined;
  const end = rangeEnd(response.headers.get('range'));
  return { location: response.headers.get('location') ?? location, offset: end ?? 0 };
}

async function blobExists(transport: RegistryTransport, repository: string, digest: string, signal: AbortSignal | undefined): Promise<boolean> {
  const response = await transport.send({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, scope: { repository, actions: 'pull' }, signal, what: `blob ${digest} of ${repository}` });
  await response.body?.cancel();
  return response.status === 200;
}

/**
 * The offset after `Range: 0-N` (N+1). Distribution answers `0-0` for an empty session too,
 * so `0-0` counts as nothing received: re-sending one byte costs less than losing it.
 */
function rangeEnd(range: string | null): number | undefined {
  const match = /^(?:bytes=)?0-(\d+)$/.exec(range?.trim() ?? '');
  if (!match) return undefined;
  const last = Number(match[1]);
  return last === 0 ? 0 : last + 1;
}

export async function unexpected(response: Response, what: string, host: string): Promise<RegistryError> {
  const detail = distributionError(await response.text());
  return new RegistryError('protocol', `Registry ${host} answered ${response.status} to ${what}${detail ? ` (${detail})` : ''}.`);
}
