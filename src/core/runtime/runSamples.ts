import type { Sample, SampleSource } from './samples';
import type { RuntimeSession } from './session';
import type { RuntimeTensor } from './tensors';

export interface RunSamplesOptions {
  readonly signal?: AbortSignal;
  /** Outputs to fetch (default all). */
  readonly fetch?: readonly string[];
  /** Called after each sample: done of total. */
  readonly progress?: (done: number, total: number, sample: Sample) => void;
}

/**
 * Runs every sample of `source` through `session`, one at a time, and hands each result to
 * `visit` before the next sample is read, so only one sample's tensors are alive at once.
 */
export async function runSamples(
  session: RuntimeSession,
  source: SampleSource,
  visit: (outputs: ReadonlyMap<string, RuntimeTensor>, sample: Sample) => void | Promise<void>,
  options: RunSamplesOptions = {},
): Promise<number> {
  let done = 0;
  for await (const sample of source.samples(options.signal)) {
    const outputs = await session.run(sample.feeds, { signal: options.signal, ...(options.fetch ? { fetch: options.fetch } : {}) });
    await visit(outputs, sample);
    done++;
    options.progress?.(done, source.count, sample);
  }
  return done;
}
