import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';
import type { GraphSourceRequest, GraphSourceResponse, GraphSourceResult } from '../../core/graphview/workerProtocol';

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
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: GraphSourceResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private disposed = false;

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath);
    this.worker.on('message', (response: GraphSourceResponse) => this.settle(response));
    this.worker.on('error', (error) => this.failAll(new Error(`the model reader stopped: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.disposed) this.failAll(new Error(`the model reader exited (code ${code})`));
    });
  }

  async open(path: string, title: string, token?: vscode.CancellationToken): Promise<GraphPayload> {
    const result = await this.request({ op: 'open', path, title }, openTimeoutMs, token);
    if (result.op === 'weights') throw new Error('unexpected answer from the model reader');
    return result.payload;
  }

  async openDiff(basePath: string, path: string, titles: { title: string; baseTitle: string }, token?: vscode.CancellationToken): Promise<GraphPayload> {
    const result = await this.request({ op: 'openDiff', basePath, path, ...titles }, openTimeoutMs, token);
    if (result.op === 'weights') throw new Error('unexpected answer from the model reader');
    return result.payload;
  }

  async weights(graph: number, tensor: string): Promise<WeightStats> {
    const result = await this.request({ op: 'weights', graph, tensor }, weightsTimeoutMs);
    if (result.op !== 'weights') throw new Error('unexpected answer from the model reader');
    return result.stats;
  }

  private request(body: RequestBody, timeoutMs: number, token?: vscode.CancellationToken): Promise<GraphSourceResult> {
    if (this.disposed) return Promise.reject(new Error('the graph view was closed'));
    const id = this.nextId++;
    return new Promise<GraphSourceResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.worker.postMessage({ id: 0, op: 'cancel', target: id } satisfies GraphSourceRequest);
        this.pending.delete(id);
        reject(new Error(`the model reader did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      token?.onCancellationRequested(() => this.worker.postMessage({ id: 0, op: 'cancel', target: id } satisfies GraphSourceRequest));
      this.worker.postMessage({ ...body, id } as GraphSourceRequest);
    });
  }

  private settle(response: GraphSourceResponse): void {
    const entry = this.pending.get(response.id);
    if (!entry) return;
    this.pending.delete(response.id);
    clearTimeout(entry.timer);
    if (response.ok) entry.resolve(response.result);
    else entry.reject(new Error(response.error));
  }

  private failAll(error: Error): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.pending.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new Error('the graph view was closed'));
    void this.worker.terminate();
  }
}
