import { Worker } from 'node:worker_threads';
import type { HostInfo } from '../soc/catalog';
import type { OutlineSymbol } from './editor/outline';
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
}

/** Why a request was dropped without an answer: a newer one for the same document, or the caller's signal. */
export class ValidationCancelled extends Error {
  override readonly name = 'AbortError';
}

function outlineOf(posted: Posted<EarlyOutcome>): readonly OutlineSymbol[] | undefined {
  return posted.outlineJson === undefined ? undefined : (JSON.parse(posted.outlineJson) as OutlineSymbol[]);
}

interface Pending {
  readonly key: string | undefined;
  readonly resolve: (outcome: ValidationOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly onEarly: ((early: EarlyOutcome) => void) | undefined;
  /** The outline, when it came with the early layers (the outcome then carries none). */
  earlyOutline?: readonly OutlineSymbol[] | undefined;
  readonly timer: NodeJS.Timeout;
  readonly release: () => void;
}

/**
 * Talks to the validation worker thread (dist/workers/validation.js). One worker serves every
 * document; it starts on the first request. A crash or a timeout fails what is pending with a
 * message that says so, and the next request starts a fresh worker. Disposing terminates it.
 */
export class ValidationClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latest = new Map<string, number>();
  private disposed = false;
  private readonly timeoutMs: number;
  /** Validations the worker finished and answered. */
  completed = 0;
  /** Worker threads started so far. */
  workersStarted = 0;
  /** Validations the worker stopped part-way because they were cancelled. */
  cancelledInWorker = 0;

  constructor(private readonly options: ValidationClientOptions) {
    this.timeoutMs = options.timeoutMs ?? validationTimeoutMs;
  }

  validate(job: ValidationJob, options: ValidateOptions = {}): Promise<ValidationOutcome> {
    if (this.disposed) return Promise.reject(new Error('the validation worker was shut down (the extension is stopping)'));
    const { key, signal, onEarly } = options;
    if (signal?.aborted) return Promise.reject(new ValidationCancelled('the validation was cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    if (key !== undefined) {
      const older = this.latest.get(key);
      if (older !== undefined) this.cancel(older, 'superseded by a newer validation of the same document');
      this.latest.set(key, id);
    }
    return new Promise<ValidationOutcome>((resolve, reject) => {
      const onAbort = () => this.cancel(id, 'the validation was cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => this.timedOut(id), this.timeoutMs);
      const release = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (key !== undefined && this.latest.get(key) === id) this.latest.delete(key);
      };
      this.pending.set(id, { key, resolve, reject, onEarly, timer, release });
      worker.postMessage({ op: 'validate', id, job } satisfies ValidationRequest);
    });
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
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new Error('the validation worker was shut down (the extension is stopping)'));
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
    this.failAll(new Error(message));
  }

  private timedOut(id: number): void {
    if (!this.pending.has(id)) return;
    // A worker that does not answer may be stuck in a loop: replace it, failing everything it held.
    this.failAll(new Error(`the validation worker did not answer within ${Math.round(this.timeoutMs / 1000)} s and was restarted; edit or save the file to validate it again`));
    this.stopWorker();
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private cancel(id: number, why: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.release();
    this.worker?.postMessage({ op: 'cancel', target: id } satisfies ValidationRequest);
    entry.reject(new ValidationCancelled(why));
  }

  private settle(response: ValidationResponse): void {
    if (response.type === 'failed' && response.cancelled) this.cancelledInWorker++;
    const entry = this.pending.get(response.id);
    if (!entry) return;
    if (response.type === 'early') {
      entry.earlyOutline = outlineOf(response.early);
      entry.onEarly?.({ diagnostics: response.early.diagnostics, outline: entry.earlyOutline });
      return;
    }
    this.pending.delete(response.id);
    entry.release();
    if (response.type === 'done') {
      this.completed++;
      const { outlineJson: _, ...outcome } = response.outcome;
      entry.resolve({ ...outcome, outline: outlineOf(response.outcome) ?? entry.earlyOutline });
    } else if (response.cancelled) entry.reject(new ValidationCancelled(response.error));
    else entry.reject(new Error(`the validation failed: ${response.error}`));
  }

  private failAll(error: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      entry.release();
      entry.reject(error);
    }
  }
}
