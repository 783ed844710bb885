import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { splitDigest } from '../digest';
import { RegistryError, type Descriptor } from '../registry';
import { abortableDelay, retryDelayMs, type RetryPolicy } from './backoff';
import type { RegistryTransport } from './transport';
import { nodeBodyOf } from './streamUpload';
import { unexpected } from './upload';

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  readonly idleTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
}

interface Attempt {
  readonly body: AsyncIterable<Uint8Array>;
  readonly controller: AbortController;
  /** Bytes to drop from the front (a registry that ignored the Range header sent everything again). */
  readonly skip: number;
}

/**
 * A blob's bytes as a stream verified against the descriptor (digest and size): a missing blob
 * or wrong length fails here, before any byte is handed out; a connection that breaks or goes
 * quiet part-way is picked up again with `Range: bytes=<received>-` (with backoff), so a reset
 * late in a 500 MB download costs only what was lost.
 */
export async function openDownload(transport: RegistryTransport, repository: string, descriptor: Descriptor, options: DownloadOptions): Promise<Readable> {
  const what = `blob ${descriptor.digest} of ${repository} at ${transport.host}`;
  const request = async (from: number): Promise<Attempt> => {
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const response = await transport.send({
      method: 'GET',
      url: `/v2/${repository}/blobs/${descriptor.digest}`,
      scope: { repository, actions: 'pull' },
      headers: from > 0 ? { range: `bytes=${from}-` } : undefined,
      streamResponse: true,
      signal,
      what,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError('notFound', `The ${what} does not exist (404): the release is incomplete or was deleted; push it again.`);
    }
    const resumed = from > 0 && response.status === 206;
    const body = nodeBodyOf(response) ?? (response.body as AsyncIterable<Uint8Array> | null);
    if ((response.status !== 200 && !resumed) || !body) throw await unexpected(response, `a download of ${what}`, transport.host);
    const length = response.headers.get('content-length');
    const expected = resumed ? descriptor.size - from : descriptor.size;
    if (length !== null && Number(length) !== expected) {
      await cancel(body);
      throw new RegistryError('digestMismatch', `The ${what} is ${resumed ? Number(length) + from : length} bytes, not the ${descriptor.size} its descriptor says: refusing it (tampered or wrong blob).`);
    }
    return { body, controller, skip: resumed ? 0 : from };
  };

  let current = await request(0);
  const { algorithm, hex } = splitDigest(descriptor.digest);
  const hash = createHash(algorithm);
  const shown = `The ${what}`;
  // One stage: bytes are hashed and counted as they are handed out, and the end is checked
  // before the stream ends (a mismatch errors it instead), so there is no second pass.
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let received = 0;
    let failures = 0;
    for (;;) {
      const { body, controller } = current;
      let skip = current.skip;
      const timer = setTimeout(() => controller.abort(new Error(`nothing for ${Math.round(options.idleTimeoutMs / 1000)} s`)), options.idleTimeoutMs);
      try {
        for await (const chunk of body) {
          timer.refresh();
          let part = chunk;
          if (skip > 0) {
            const dropped = Math.min(skip, part.length);
            skip -= dropped;
            part = part.subarray(dropped);
            if (part.length === 0) continue;
          }
          received += part.length;
          if (received > descriptor.size) throw new RegistryError('digestMismatch', `${shown} is longer than its ${descriptor.size} bytes (tampered or corrupted; nothing was used)`);
          hash.update(part);
          yield part;
        }
        if (received !== descriptor.size) throw new RegistryError('digestMismatch', `${shown} has ${received} bytes, its descriptor says ${descriptor.size} (truncated or tampered; nothing was used)`);
        const actual = hash.digest('hex');
        if (actual !== hex) throw new RegistryError('digestMismatch', `${shown} does not match its digest: expected ${descriptor.digest}, got ${algorithm}:${actual} (tampered or corrupted; nothing was used)`);
        return;
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        if (options.signal?.aborted) throw options.signal.reason;
        const problem = controller.signal.aborted ? String((controller.signal.reason as Error).message) : networkProblem(error);
        if (++failures >= options.retry.attempts) {
          throw new RegistryError('unavailable', `Registry ${transport.host} broke off the download of ${what} ${failures} time(s) (last: ${problem}): check the network and try again.`);
        }
        await abortableDelay(retryDelayMs(options.retry, failures, null, Date.now(), options.random), options.signal);
        current = await request(received);
      } finally {
        clearTimeout(timer);
      }
    }
  }
  return Readable.from(bytes(), { objectMode: false, highWaterMark: 1 << 20 });
}

async function cancel(body: AsyncIterable<Uint8Array>): Promise<void> {
  if ('destroy' in body && typeof body.destroy === 'function') (body as { destroy(): void }).destroy();
  else if ('cancel' in body && typeof body.cancel === 'function') await (body as ReadableStream).cancel();
}

function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code ?? (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
