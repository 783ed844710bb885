import { ExitCode } from './errors';
import type { Interrupts } from './io';

/** SIGINT and SIGTERM of this process as `Interrupts` (see there). */
export function processInterrupts(): Interrupts {
  const controller = new AbortController();
  let handlers = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handlers === 0 || controller.signal.aborted) process.exit(ExitCode.cancelled);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    handle() {
      handlers++;
      let disposed = false;
      return {
        dispose: () => {
          if (!disposed) handlers--;
          disposed = true;
        },
      };
    },
  };
}
