import { parentPort, workerData } from 'node:worker_threads';
import { DocumentValidator } from './documentValidator';
import type { Posted, ValidationRequest, ValidationResponse, ValidationWorkerData } from './validationProtocol';

/**
 * Worker thread that validates use-case and SoC documents for the editor, so parsing and
 * checking a 5,000-line file never blocks the extension host's main thread.
 */
if (!parentPort) throw new Error('validation.worker must run as a worker thread');
const port = parentPort;
const validator = new DocumentValidator((workerData as ValidationWorkerData).host);
const running = new Map<number, AbortController>();

port.on('message', (request: ValidationRequest) => {
  switch (request.op) {
    case 'cancel':
      running.get(request.target)?.abort(new Error('superseded by a newer validation'));
      return;
    case 'invalidateModel':
      validator.invalidateModel(request.path);
      return;
    case 'test':
      if (request.action === 'crash') throw new Error('crash requested by a test');
      else {
        const until = Date.now() + (request.ms ?? 0);
        while (Date.now() < until) {
          // Busy on purpose: a stuck validation, for the client's timeout test.
        }
      }
      return;
    case 'validate': {
      const { id } = request;
      const controller = new AbortController();
      running.set(id, controller);
      const signal = controller.signal;
      // The outline goes over once: with the early layers when those went out, else with the outcome.
      let outlineSent = false;
      validator
        .validate(request.job, signal, (early) => {
          outlineSent = early.outline !== undefined;
          reply({ id, type: 'early', early: posted(early) });
        })
        .then(
          (outcome) => reply({ id, type: 'done', outcome: posted(outlineSent ? { ...outcome, outline: undefined } : outcome) }),
          (error: unknown) => reply({ id, type: 'failed', error: error instanceof Error ? error.message : String(error), cancelled: signal.aborted }),
        )
        .finally(() => running.delete(id));
      return;
    }
  }
});

function posted<T extends { readonly outline: unknown }>(value: T): Posted<T> {
  const { outline, ...rest } = value;
  return { ...rest, outlineJson: outline === undefined ? undefined : JSON.stringify(outline) };
}

function reply(response: ValidationResponse): void {
  port.postMessage(response);
}
