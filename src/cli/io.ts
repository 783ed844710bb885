/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  /** Set by `aios --debug`: internal errors print their stack. */
  debug: boolean;
  /** Ctrl-C and SIGTERM (main passes them; in-process tests may pass their own). */
  readonly interrupts?: Interrupts;
}

/**
 * A command that can stop cleanly on Ctrl-C (cancel its run, remove partial output) calls
 * `handle()` while it runs: the signal then aborts `signal` instead of ending the process.
 * Without a handler, or on a second Ctrl-C, the CLI exits 130 at once.
 */
export interface Interrupts {
  readonly signal: AbortSignal;
  handle(): { dispose(): void };
}

/** `--json` output: exactly one JSON document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export { formatTable } from '../core/text/table';
