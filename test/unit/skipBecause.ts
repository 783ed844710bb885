import { Hook, type Context } from 'mocha';

/**
 * Skips the running test (or, called from a `before` hook, every test of its suite) and says
 * why: the reason joins the test's title, so the run's output shows it beside the skip.
 */
export function skipBecause(context: Context, reason: string): never {
  const runnable = context.test;
  const tests = runnable instanceof Hook ? (runnable.parent?.tests ?? []) : runnable ? [runnable] : [];
  for (const test of tests) test.title += ` [SKIPPED: ${reason}]`;
  context.skip();
}

export const noConformanceData = 'the ONNX conformance data is missing (apt-get install libonnx-testdata)';
export const noPythonOnnx = 'python3-onnx is missing (apt-get install python3-onnx)';
