/**
 * Request/response bookkeeping for any message channel (worker threads, web workers, the
 * webview link): ids, per-request timeouts, cancellation by AbortSignal, progress messages
 * before the answer, and failing everything still pending when the other side is gone.
 * Dependency-free on purpose: Node code (core, extension) and browser code (webviews) share it.
 */

/** The request was dropped by its caller (signal, superseded, or `cancel`). */
export class RequestCancelled extends Error {
  override readonly name = 'AbortError';
}

/** The other side did not answer in time. */
export class RequestTimedOut extends Error {
  override readonly name = 'TimeoutError';
}

export interface RequestOptions<P> {
  /** No timeout when omitted. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Messages that arrive for this request before its answer. */
  readonly onProgress?: (update: P) => void;
}

export interface PendingRequestsOptions {
  /** Id source; pass a shared one when several trackers talk over one channel. */
  readonly nextId?: () => number;
  /** The error a timed-out request rejects with. */
  readonly timeoutError?: (timeoutMs: number) => Error;
  /** The error a request rejects with when its signal aborts. */
  readonly abortError?: () => Error;
  /** The error for requests started after `dispose`. */
  readonly disposedError?: () => Error;
  /**
   * Called after a request was given up on this side (timeout or cancellation) so the other
   * side can stop its work; the request is already rejected.
   */
  readonly onAbandon?: (id: number, why: 'timeout' | 'cancelled') => void;
}

interface Entry<R, P> {
  readonly resolve: (value: R) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: ((update: P) => void) | undefined;
  readonly release: () => void;
}

/** Outstanding requests by id: `request` sends and waits; the channel's listener calls `resolve`/`reject`/`progress`. */
export class PendingRequests<R, P = never> {
  private readonly entries = new Map<number, Entry<R, P>>();
  private readonly nextId: () => number;
  private disposedWith: Error | undefined;

  constructor(private readonly options: PendingRequestsOptions = {}) {
    let id = 1;
    this.nextId = options.nextId ?? (() => id++);
  }

  /** Allocates an id, registers it, then calls `send(id)`; a throwing `send` rejects the request. */
  request(send: (id: number) => void, options: RequestOptions<P> = {}): Promise<R> {
    if (this.disposedWith) return Promise.reject(this.options.disposedError?.() ?? this.disposedWith);
    const { signal, timeoutMs, onProgress } = options;
    if (signal?.aborted) return Promise.reject(this.abortError());
    const id = this.nextId();
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => this.abandon(id, this.abortError(), 'cancelled');
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.abandon(id, this.timeoutError(timeoutMs), 'timeout'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      const release = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.entries.set(id, { resolve, reject, onProgress, release });
      try {
        send(id);
      } catch (error) {
        this.reject(id, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Delivers the answer; false when the id is unknown (late, cancelled, or never sent). */
  resolve(id: number, value: R): boolean {
    const entry = this.take(id);
    entry?.resolve(value);
    return entry !== undefined;
  }

  reject(id: number, error: Error): boolean {
    const entry = this.take(id);
    entry?.reject(error);
    return entry !== undefined;
  }

  /** Delivers an intermediate message; the request stays pending. */
  progress(id: number, update: P): boolean {
    const entry = this.entries.get(id);
    entry?.onProgress?.(update);
    return entry !== undefined;
  }

  /** Gives up on one request: it rejects with a RequestCancelled (or `error`) and `onAbandon` is told. */
  cancel(id: number, error: Error = new RequestCancelled('the request was cancelled')): boolean {
    return this.abandon(id, error, 'cancelled');
  }

  /** Rejects every pending request with `error` (the other side crashed or went away). */
  failAll(error: Error): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      entry.release();
      entry.reject(error);
    }
  }

  /** Fails what is pending; later requests reject at once. */
  dispose(error: Error): void {
    if (this.disposedWith) return;
    this.disposedWith = error;
    this.failAll(error);
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  get disposed(): boolean {
    return this.disposedWith !== undefined;
  }

  private abandon(id: number, error: Error, why: 'timeout' | 'cancelled'): boolean {
    const entry = this.take(id);
    if (!entry) return false;
    entry.reject(error);
    this.options.onAbandon?.(id, why);
    return true;
  }

  private take(id: number): Entry<R, P> | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    entry.release();
    return entry;
  }

  private timeoutError(timeoutMs: number): Error {
    return this.options.timeoutError?.(timeoutMs) ?? new RequestTimedOut(`no answer within ${formatSeconds(timeoutMs)} s`);
  }

  private abortError(): Error {
    return this.options.abortError?.() ?? new RequestCancelled('the request was cancelled');
  }
}

/** `1500` → `1.5`, `30000` → `30`. */
export function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
