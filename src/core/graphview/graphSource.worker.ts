import { parentPort } from 'node:worker_threads';
import { GraphSource } from './graphSource';
import type { GraphSourceRequest, GraphSourceResponse, GraphSourceResult } from './workerProtocol';

/**
 * Worker thread behind one graph editor: reads the model and builds the view payload off the
 * extension host's main thread, then answers weight-statistics requests.
 */
if (!parentPort) throw new Error('graphSource.worker must run as a worker thread');
const port = parentPort;
const source = new GraphSource();
const running = new Map<number, AbortController>();

port.on('message', (request: GraphSourceRequest) => {
  if (request.op === 'cancel') {
    running.get(request.target)?.abort(new Error('cancelled'));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const signal = controller.signal;
  const work = run(request, signal);
  work.then(
    (result) => reply({ id: request.id, ok: true, result }),
    (error: unknown) => reply({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error), cancelled: signal.aborted }),
  ).finally(() => running.delete(request.id));
});

function run(request: Exclude<GraphSourceRequest, { op: 'cancel' }>, signal: AbortSignal): Promise<GraphSourceResult> {
  switch (request.op) {
    case 'open':
      return source.open(request.path, request.title, signal, request.sizes).then((payload) => ({ op: 'open', payload }));
    case 'openDiff':
      return source.openDiff(request.basePath, request.path, { title: request.title, baseTitle: request.baseTitle }, signal).then((payload) => ({ op: 'openDiff', payload }));
    case 'openSideBySide':
      return source.openSideBySide(request.basePath, request.path, { title: request.title, baseTitle: request.baseTitle }, signal).then((sides) => ({ op: 'openSideBySide', ...sides }));
    case 'resize':
      return source.resize(request.sizes, signal).then((payload) => ({ op: 'resize', payload }));
    case 'weights':
      return source.weights(request.graph, request.tensor, signal, request.side).then((stats) => ({ op: 'weights', stats }));
  }
}

function reply(response: GraphSourceResponse): void {
  port.postMessage(response);
}
