import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { GivenInputSizes } from '../../protocol/graphMessages';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import type { GraphSourceRequest, GraphSourceResponse, GraphSourceResult } from '../../core/graphview/workerProtocol';
import { PendingRequests } from '../../shared/pendingRequests';

export type SideBySide = Omit<Extract<GraphSourceResult, { op: 'openSideBySide' }>, 'op'>;

function payloadOf(result: GraphSourceResult): GraphPayload {
  if (!('payload' in result)) throw new Error('unexpected answer from the model reader');
  return result.payload;
}

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = Distributive<Exclude<GraphSourceRequest, { op: 'cancel' }>>;

export const openTimeoutMs = 180_000;
export const weightsTimeoutMs = 60_000;

/**
 * Talks to one graph source worker thread (dist/workers/graphSource.js): every request has a
 * timeout and an optional cancellation token; disposing terminates the thread and fails
 * whatever is still pending.
 */
export class GraphSourceClient implements vscode.Disposable {
  private readonly worker: Worker;
  private readonly pending = new PendingRequests<GraphSourceResult>({
    timeoutError: (ms) => new Error(`the model reader did not answer within ${Math.round(ms / 1000)} s`),
    disposedError: () => new Error('the graph view was closed'),
    onAbandon: (target) => this.worker.postMessage({ id: 0, op: 'cancel', target } satisfies GraphSourceRequest),
  });

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath);
    this.worker.on('message', (response: GraphSourceResponse) => {
      if (response.ok) this.pending.resolve(response.id, response.result);
      else this.pending.reject(response.id, new Error(response.error));
    });
    this.worker.on('error', (error) => this.pending.failAll(new Error(`the model reader stopped: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.pending.disposed) this.pending.failAll(new Error(`the model reader exited (code ${code})`));
    });
  }

  /** `sizes`: input sizes a use case referencing the model declares (see GraphSource.open). */
  async open(path: string, title: string, token?: vscode.CancellationToken, sizes?: GivenInputSizes): Promise<GraphPayload> {
    return payloadOf(await this.request({ op: 'open', path, title, ...(sizes ? { sizes } : {}) }, openTimeoutMs, token));
  }

  async openDiff(basePath: string, path: string, titles: { title: string; baseTitle: string }, token?: vscode.CancellationToken): Promise<GraphPayload> {
    return payloadOf(await this.request({ op: 'openDiff', basePath, path, ...titles }, openTimeoutMs, token));
  }

  async openSideBySide(basePath: string, path: string, titles: { title: string; baseTitle: string }, token?: vscode.CancellationToken): Promise<SideBySide> {
    const result = await this.request({ op: 'openSideBySide', basePath, path, ...titles }, openTimeoutMs, token);
    if (result.op !== 'openSideBySide') throw new Error('unexpected answer from the model reader');
    return result;
  }

  /** The open model's payload recomputed for input sizes set in the view. */
  async resize(sizes: GivenInputSizes, token?: vscode.CancellationToken): Promise<GraphPayload> {
    return payloadOf(await this.request({ op: 'resize', sizes }, openTimeoutMs, token));
  }

  async weights(graph: number, tensor: string, side?: 'base'): Promise<WeightStats> {
    const result = await this.request({ op: 'weights', graph, tensor, ...(side ? { side } : {}) }, weightsTimeoutMs);
    if (result.op !== 'weights') throw new Error('unexpected answer from the model reader');
    return result.stats;
  }

  private async request(body: RequestBody, timeoutMs: number, token?: vscode.CancellationToken): Promise<GraphSourceResult> {
    const abort = new AbortController();
    const listener = token?.onCancellationRequested(() => abort.abort());
    if (token?.isCancellationRequested) abort.abort();
    try {
      return await this.pending.request((id) => this.worker.postMessage({ ...body, id } as GraphSourceRequest), { timeoutMs, signal: abort.signal });
    } finally {
      listener?.dispose();
    }
  }

  dispose(): void {
    if (this.pending.disposed) return;
    this.pending.dispose(new Error('the graph view was closed'));
    void this.worker.terminate();
  }
}
