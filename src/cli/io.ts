/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  /** Set by `aios --debug`: internal errors print their stack. */
  debug: boolean;
}

/** `--json` output: exactly one JSON document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export { formatTable } from '../core/text/table';
