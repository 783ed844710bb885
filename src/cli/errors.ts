/** Exit codes of SPEC §3. */
export const ExitCode = {
  ok: 0,
  /** The checked thing fails: errors, budget or gate violations. */
  checkFailed: 1,
  /** Usage or input error. */
  usage: 2,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM: the run was cancelled cleanly. */
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad arguments or unusable input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that exists in the contract but whose capability has not landed yet. */
export class NotAvailableError extends UsageError {
  constructor(command: string) {
    super(`'aios ${command}' is not available yet in this version of AIOS Workbench`);
  }
}

/** The user interrupted a run (Ctrl-C, SIGTERM) and it was cancelled cleanly: exit 130. */
export class RunCancelled extends Error {
  override readonly name = 'RunCancelled';
}
