import type { z } from 'zod';
import type { CredentialStore } from '../registry/credentials/credentials';

/** One progress report of a running job. */
export interface JobProgress {
  /** What the job is doing now, short: `inspect`, `calibrate 12/64`. */
  readonly stage: string;
  /** 0..1 of the whole job; undefined when the job cannot tell (indeterminate). */
  readonly fraction?: number;
  /** One line for humans, shown beside the stage. */
  readonly message?: string;
}

/** What a job gets while it runs in the job process. */
export interface JobContext {
  /** Aborted when the job is cancelled; the job should stop soon after (it is killed after a short grace). */
  readonly signal: AbortSignal;
  readonly runId: string;
  /** The folder the job was started from (the workspace root or the CLI's current folder). */
  readonly cwd: string;
  progress(progress: JobProgress): void;
  /** One line into the run's log.txt (stdout and stderr of the job process land there too). */
  log(line: string): void;
  /**
   * Where to write the output `finalPath` (absolute; one of the kind's `outputFiles`): a temp
   * file beside it that is renamed to `finalPath` only when the job succeeds, and removed when
   * it fails, is cancelled or crashes. So no half-written output is ever left behind.
   */
  output(finalPath: string): string;
  /**
   * Registry credentials of the process that queued the job (the editor's SecretStorage), asked
   * over IPC so they are never written to disk or the environment. Absent where no queue runs the job.
   */
  readonly credentials?: CredentialStore;
}

/**
 * A kind of job (run, quantize, profile, ...): its inputs and summary schemas and the code that
 * runs it. The same object is used on both sides: the queue validates inputs and summaries
 * with the schemas; the job process calls `execute`. Adding a capability = one module that
 * exports one `JobKind` and is listed in `builtinJobKinds` (or registered with a `module`).
 *
 * Keep the module's top level light (it is imported by the extension host): load heavy
 * dependencies (onnxruntime-node, ...) with `await import()` inside `execute`.
 */
export interface JobKind<I = unknown, S = unknown> {
  /** The id in tasks.json (`"type": "aios", "kind": ...`) and in run records. */
  readonly kind: string;
  /** For humans: `Run pipeline`, `Quantize`. */
  readonly title: string;
  /** Heavy jobs share the queue's concurrency limit (one at a time by default); light ones start at once. */
  readonly heavy: boolean;
  /** The job's inputs as written in tasks.json or built by a command; validated on enqueue. */
  readonly inputs: z.ZodType<I>;
  /** What `execute` returns; stored as the run record's `summary`. */
  readonly summary: z.ZodType<S>;
  /**
   * Where the job process loads this kind from: the absolute path of a CommonJS module that
   * exports it as `jobKind` (or in an array `jobKinds`). Undefined for kinds bundled into the
   * job worker (`builtinJobKinds`).
   */
  readonly module?: string;
  /**
   * The equivalent command line, recorded in run.json: `aios run samples/dms.usecase.yaml`.
   * `cwd` (here and below) is the job's folder: relative paths in the inputs resolve against it.
   */
  command(inputs: I, cwd: string): string;
  /** Absolute paths of the files the job reads; hashed (sha256) into the record when it starts. */
  inputFiles(inputs: I, cwd: string): readonly string[] | Promise<readonly string[]>;
  /** Absolute paths of the files the job writes; hashed into the record when it succeeds. */
  outputFiles(inputs: I, cwd: string): readonly string[];
  /** Runs in the job process, never on the caller's thread. Rejects (or throws on abort) to fail. */
  execute(inputs: I, context: JobContext): Promise<S>;
}

/** Helps TypeScript infer `I` and `S` from the schemas. */
export function defineJobKind<I, S>(kind: JobKind<I, S>): JobKind<I, S> {
  return kind;
}
