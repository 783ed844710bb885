import { basename, dirname, join } from 'node:path';
import type { RegistryCredentials } from '../registry/credentials/credentials';
import type { JobProgress } from './jobKind';

/** The queue to the job process (over the fork IPC channel). */
export type JobRequest =
  | {
      readonly type: 'start';
      readonly runId: string;
      readonly kind: string;
      /** The kind's module, when it is not built into the job worker. */
      readonly module?: string;
      readonly inputs: unknown;
      readonly cwd: string;
      /** Declared outputs: final path and the temp path the job writes instead. */
      readonly outputs: readonly OutputFile[];
    }
  | { readonly type: 'cancel'; readonly reason: string }
  /** The answer to the job's `credentials` question: none when the queue has no store or no entry. */
  | { readonly type: 'credentials'; readonly requestId: number; readonly credentials?: RegistryCredentials };

/** The job process to the queue. */
export type JobMessage =
  /** The job's code is running (its `execute` was called). */
  | { readonly type: 'started' }
  | { readonly type: 'progress'; readonly progress: JobProgress }
  | { readonly type: 'log'; readonly line: string }
  /** Registry credentials for `host`, from the queue's store (the editor's SecretStorage): asked, never written down. */
  | { readonly type: 'credentials'; readonly requestId: number; readonly host: string }
  /** `written`: the declared outputs whose temp file the job wrote. */
  | { readonly type: 'done'; readonly summary: unknown; readonly written: readonly string[] }
  | { readonly type: 'failed'; readonly error: string; readonly cancelled: boolean };

export interface OutputFile {
  readonly path: string;
  readonly temp: string;
}

/** The temp file an output is written to: hidden, beside it (same file system, so the rename is atomic), named for the run. */
export function outputFile(path: string, runId: string): OutputFile {
  return { path, temp: join(dirname(path), `.${basename(path)}.${runId}.tmp`) };
}
