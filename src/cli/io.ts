import { controlsButLayout, jsonEscape, jsonUnsafe, terminalText, visibleControl } from '../core/text/terminalText';

export { terminalText };

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

/**
 * Our own sequences that may reach stderr raw: the carriage return and line erase of a
 * progress line, at the start of a write.
 */
const progressPrefix = /^\r(?:\x1b\[2?K)?/;

/**
 * The last line of defence, applied by runCli to stdout and stderr: whatever a command writes,
 * control characters other than newline and tab reach the stream escaped. (Values should still
 * pass through terminalText, which also escapes newlines.) A failing write (a full disk behind
 * `> file`) becomes an OutputError with one line of reason.
 */
export function guardStream<S extends { write(text: string): unknown }>(stream: S, allowProgress: boolean): S {
  const write = (text: string): unknown => {
    const prefix = allowProgress ? (progressPrefix.exec(text)?.[0] ?? '') : '';
    const safe = prefix + text.slice(prefix.length).replace(controlsButLayout, visibleControl);
    try {
      return stream.write(safe);
    } catch (e) {
      throw new OutputError(e);
    }
  };
  return new Proxy(stream, {
    get(target, key, receiver) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Writing our own output failed (disk full, closed pipe): not an error of the input. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly code: unknown;
  constructor(cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    super(`cannot write the output: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.code = code;
  }
}

/**
 * `--json` output: exactly one JSON document on stdout. JSON.stringify already escapes C0
 * controls; the other terminal controls are escaped too (`\u009b`), which is the same JSON value.
 */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2).replace(jsonUnsafe, jsonEscape)}\n`);
}

/**
 * Human output: each element is one line; whatever it holds (names, paths, messages from files)
 * is shown through terminalText, so a value cannot break the line or drive the terminal.
 */
export function printLines(stream: { write(text: string): unknown }, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(`${lines.map(terminalText).join('\n')}\n`);
}

export { formatTable } from '../core/text/table';
