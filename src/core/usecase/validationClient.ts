import { Worker } from 'node:worker_threads';
import type { HostInfo } from '../soc/catalog';
import type { OutlineSymbol } from './editor/outline';
import { PendingRequests } from '../../shared/pendingRequests';
import type { EarlyOutcome, Posted, ValidationJob, ValidationOutcome, ValidationRequest, ValidationResponse, ValidationWorkerData } from './validationProtocol';

export const validationTimeoutMs = 60_000;

export interface ValidationClientOptions {
  /** dist/workers/validation.js */
  readonly workerPath: string;
  readonly host: HostInfo;
  readonly timeoutMs?: number;
}

export interface ValidateOptions {
  /** The document: a newer request with the same key cancels the older one. */
  readonly key?: string;
  readonly signal?: AbortSignal;
  /** The fast layers, when the file checks are slow. */
  readonly onEarly?: (early: EarlyOutcome) => void;
  /** This request's answer budget instead of the client's; when it passes, the worker is replaced. */
  readonly timeoutMs?: number;
}

/** Why a request was dropped without an answer: a newer one for the same document, or the caller's signal. */
export class ValidationCancelled extends Error {
  override readonly name = 'AbortError';
}

function outlineOf(posted: Posted<EarlyOutcome>): readonly OutlineSymbol[] | undefined {
  return posted.outlineJson === undefined ? undefined : (JSON.parse(posted.outlineJson) as OutlineSymbol[]);
}

/**
 * Talks to the validation worker thread (dist/workers/validation.js). One worker serves every
 * document; it starts on the first request. A crash or a timeout fails what is pending with a
 * message that says so, and the next request starts a fresh worker. Disposing terminates it.
 */
export class ValidationClient {
  private worker: Worker | undefined;
  private readonly pending: PendingRequests<Posted<ValidationOutcome>, Posted<EarlyOutcome>>;
  private readonly latest = new Map<string, number>();
  private readonly timeoutMs: number;
  /** Validations the worker finished and answered. */
  completed = 0;
  /** Worker threads started so far. */
  workersStarted = 0;
  /** Validations the worker stopped part-way because they were cancelled. */
  cancelledInWorker = 0;

  constructor(private readonly options: ValidationClientOptions) {
    this.timeoutMs = options.timeoutMs ?? validationTimeoutMs;
    this.pending = new PendingRequests({
      abortError: () => new ValidationCancelled('the validation was cancelled'),
      disposedError: () => new Error('the validation worker was shut down (the extension is stopping)'),
      timeoutError: (ms) => timedOutError(ms),
      onAbandon: (id, why) => {
        if (why === 'cancelled') this.worker?.postMessage({ op: 'cancel', target: id } satisfies ValidationRequest);
        else {
          // A worker that does not answer may be stuck in a loop: replace it, failing everything it held.
          this.pending.failAll(new Error('the validation worker was restarted because a validation did not answer in time; edit or save the file to validate it again'));
          this.stopWorker();
        }
      },
    });
  }

  async validate(job: ValidationJob, options: ValidateOptions = {}): Promise<ValidationOutcome> {
    if (this.pending.disposed) throw new Error('the validation worker was shut down (the extension is stopping)');
    const { key, signal, onEarly, timeoutMs = this.timeoutMs } = options;
    if (signal?.aborted) throw new ValidationCancelled('the validation was cancelled');
    const worker = this.ensureWorker();
    let earlyOutline: readonly OutlineSymbol[] | undefined;
    let requestId = -1;
    const answer = this.pending.request(
      (id) => {
        requestId = id;
        if (key !== undefined) {
          const older = this.latest.get(key);
          if (older !== undefined) this.pending.cancel(older, new ValidationCancelled('superseded by a newer validation of the same document'));
          this.latest.set(key, id);
        }
        worker.postMessage({ op: 'validate', id, job } satisfies ValidationRequest);
      },
      {
        timeoutMs,
        ...(signal ? { signal } : {}),
        onProgress: (early) => {
          earlyOutline = outlineOf(early);
          onEarly?.({ diagnostics: early.diagnostics, outline: earlyOutline });
        },
      },
    );
    try {
      const posted = await answer;
      this.completed++;
      const { outlineJson: _, ...outcome } = posted;
      return { ...outcome, outline: outlineOf(posted) ?? earlyOutline };
    } finally {
      if (key !== undefined && this.latest.get(key) === requestId) this.latest.delete(key);
    }
  }

  /** A model file changed: the worker reads it again next time. */
  invalidateModel(path: string): void {
    this.worker?.postMessage({ op: 'invalidateModel', path } satisfies ValidationRequest);
  }

  /** Test hook: make the worker throw (a crash) or stall for `ms` (a hang). */
  injectFault(action: 'crash' | 'stall', ms?: number): void {
    this.ensureWorker().postMessage({ op: 'test', action, ...(ms !== undefined ? { ms } : {}) } satisfies ValidationRequest);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  dispose(): void {
    if (this.pending.disposed) return;
    this.pending.dispose(new Error('the validation worker was shut down (the extension is stopping)'));
    this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerPath, { workerData: { host: this.options.host } satisfies ValidationWorkerData });
    // The host process must be free to exit while the worker idles.
    worker.unref();
    worker.on('message', (response: ValidationResponse) => this.settle(response));
    worker.on('error', (error) => this.lost(worker, `the validation worker crashed (${error.message}); the next validation starts a new one`));
    worker.on('exit', (code) => this.lost(worker, `the validation worker exited unexpectedly (code ${code}); the next validation starts a new one`));
    this.worker = worker;
    this.workersStarted++;
    return worker;
  }

  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.pending.failAll(new Error(message));
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private settle(response: ValidationResponse): void {
    if (response.type === 'failed' && response.cancelled) this.cancelledInWorker++;
    if (response.type === 'early') this.pending.progress(response.id, response.early);
    else if (response.type === 'done') this.pending.resolve(response.id, response.outcome);
    else if (response.cancelled) this.pending.reject(response.id, new ValidationCancelled(response.error));
    else this.pending.reject(response.id, new Error(`the validation failed: ${response.error}`));
  }
}

function timedOutError(timeoutMs: number): Error {
  return new Error(`the validation worker did not answer within ${Math.round(timeoutMs / 1000)} s and was restarted; edit or save the file to validate it again`);
}
