/**
 * onnxruntime-node sessions for quantization, quantdiff, profiling and replay. onnxruntime is
 * loaded on first use (`await import`), so importing this module costs nothing. A run cannot
 * be interrupted inside onnxruntime: an aborted signal rejects at once with the signal's
 * reason, the native run finishes in the background, and `release` waits for it.
 */
import type * as Ort from 'onnxruntime-node';
import type { RuntimeTensor, RuntimeType } from './tensors';
import { raceAbort } from '../raceAbort';

export type ModelSource = { readonly path: string } | { readonly bytes: Uint8Array };

export interface SessionOptions {
  readonly signal?: AbortSignal;
  /** Threads for one operator (onnxruntime's intraOpNumThreads); default: onnxruntime's choice. */
  readonly threads?: number;
  /** Graph optimisations (default 'all', as deployed). */
  readonly optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Name of the model in errors (default: the path, or "model"). */
  readonly sourceName?: string;
  /**
   * onnxruntime's memory pattern (default on): from the second run it allocates one block
   * planned from the first run, beside the arena the first run grew, which nearly doubles the
   * peak. Off for sessions whose peak matters more than a little speed (calibration).
   */
  readonly memPattern?: boolean;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Output names to fetch (default: all the session's outputs). */
  readonly fetch?: readonly string[];
}

export interface RuntimeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Readonly<Record<string, RuntimeTensor>>, options?: RunOptions): Promise<Map<string, RuntimeTensor>>;
  /** Frees the native session once the run in flight (if any) has finished. Idempotent. */
  release(): Promise<void>;
}

/** onnxruntime could not load the model: the message says which model and why. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
}

let ortModule: Promise<typeof Ort> | undefined;

/** onnxruntime-node, loaded once on first use. */
export function loadOrt(): Promise<typeof Ort> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

export async function openSession(source: ModelSource, options: SessionOptions = {}): Promise<RuntimeSession> {
  const { signal } = options;
  signal?.throwIfAborted();
  const ort = await loadOrt();
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: options.optimization ?? 'all',
    logSeverityLevel: 3,
    ...(options.threads !== undefined ? { intraOpNumThreads: options.threads } : {}),
    ...(options.memPattern !== undefined ? { enableMemPattern: options.memPattern } : {}),
  };
  const name = options.sourceName ?? ('path' in source ? source.path : 'model');
  let session: Ort.InferenceSession;
  try {
    session = 'path' in source
      ? await ort.InferenceSession.create(source.path, sessionOptions)
      : await ort.InferenceSession.create(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength, sessionOptions);
  } catch (e) {
    throw new ModelLoadError(`onnxruntime cannot load ${name}: ${firstLine(e)}. Check that the model opens in onnxruntime 1.30 (opset and operators it supports).`, { cause: e });
  }
  if (signal?.aborted) {
    await session.release();
    signal.throwIfAborted();
  }
  return new OrtSession(ort, session, name);
}

class OrtSession implements RuntimeSession {
  private inFlight: Promise<unknown> = Promise.resolve();
  private released: Promise<void> | undefined;

  constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly name: string,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Readonly<Record<string, RuntimeTensor>>, options: RunOptions = {}): Promise<Map<string, RuntimeTensor>> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.released) throw new Error(`the session of ${this.name} was released`);
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      ortFeeds[name] = new this.ort.Tensor(t.type, t.data as Ort.Tensor.DataType, [...t.dims]);
    }
    const pending = this.inFlight.then(() =>
      options.fetch ? this.session.run(ortFeeds, [...options.fetch]) : this.session.run(ortFeeds),
    );
    this.inFlight = pending.catch(() => undefined);
    const results = await raceAbort(pending, signal).catch((e: unknown) => {
      if (signal?.aborted) throw e;
      throw new Error(`onnxruntime failed to run ${this.name}: ${firstLine(e)}`, { cause: e });
    });
    const out = new Map<string, RuntimeTensor>();
    for (const [name, value] of Object.entries(results)) {
      out.set(name, { type: value.type as RuntimeType, dims: [...value.dims], data: value.data as RuntimeTensor['data'] });
    }
    return out;
  }

  release(): Promise<void> {
    this.released ??= this.inFlight.then(() => this.session.release());
    return this.released;
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.trim() ?? text;
}
