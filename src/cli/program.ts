import { Command, CommanderError } from 'commander';
import { ExitCode, RunCancelled, UsageError } from './errors';
import { guardStream, OutputError, terminalText, type CliIo } from './io';
import { InputError } from '../core/inputError';
import { fileErrorReason } from '../core/files/regularFile';
import { registerUnavailable } from './commands/unavailable';
import { registerRun } from './commands/run';
import { registerValidate } from './commands/validate';
import { registerTargets } from './commands/targets';
import { registerInspect } from './commands/inspect';
import { registerDiff } from './commands/diff';
import { registerGraph } from './commands/graph';
import { registerQuantize } from './commands/quantize';
import { registerRelease } from './commands/release';
import { registerQuantdiff } from './commands/quantdiff';
import { registerProfile } from './commands/profile';
import { registerReplay } from './commands/replay';

export const cliVersion = '0.1.0';

/**
 * Parses `argv` (without node and script) and runs the command. Never calls process.exit
 * and never throws: returns the exit code of SPEC §3, having written any error as one line.
 */
export async function runCli(argv: readonly string[], given: CliIo): Promise<ExitCode> {
  // Every byte a command writes passes the terminal guard (see guardStream).
  const io: CliIo = { ...given, stdout: guardStream(given.stdout, false), stderr: guardStream(given.stderr, true) };
  Object.defineProperty(io, 'debug', { get: () => given.debug, set: (v: boolean) => (given.debug = v) });
  let exitCode: ExitCode = ExitCode.ok;
  const program = new Command('aios')
    .description('AIOS Workbench: from an ONNX model to a signed, OTA-ready release for automotive SoCs')
    .version(cliVersion, '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`aios: ${s.replace(/^error: /, '').trimEnd()} (see --help)\n`),
    })
    .exitOverride()
    .hook('preAction', (cmd) => {
      io.debug = Boolean(cmd.opts()['debug']);
    });

  const setExitCode = (code: ExitCode) => {
    exitCode = code;
  };
  registerRun(program, io, setExitCode);
  registerValidate(program, io, setExitCode);
  registerTargets(program, io, setExitCode);
  registerInspect(program, io, setExitCode);
  registerDiff(program, io, setExitCode);
  registerGraph(program, io, setExitCode);
  registerQuantize(program, io, setExitCode);
  registerRelease(program, io, setExitCode);
  registerQuantdiff(program, io, setExitCode);
  registerProfile(program, io, setExitCode);
  registerReplay(program, io, setExitCode);
  registerUnavailable(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Help and version output end in a CommanderError with exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof RunCancelled) {
    io.stderr.write(`aios: ${error.message}\n`);
    return ExitCode.cancelled;
  }
  if (error instanceof UsageError || error instanceof InputError) {
    return oneLine(io, error.message);
  }
  if (error instanceof OutputError) {
    const reason = fileErrorReason(error.code);
    return oneLine(io, `cannot write the output${reason ? `: ${reason}` : ''} (${String(error.code ?? error.message)})`);
  }
  // A file system error that reached us unwrapped still names its file: say what and which, no stack.
  const errno = error as { code?: unknown; path?: unknown; syscall?: unknown };
  const reason = fileErrorReason(errno?.code);
  if (reason && typeof errno.path === 'string') return oneLine(io, `${errno.path}: ${reason}`);
  // One without a path (a write to a full device fails in write(), not open()): what failed, and why.
  if (reason && typeof errno.syscall === 'string') return oneLine(io, `a file ${errno.syscall} failed: ${reason} (${String(errno.code)})`);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`aios: internal error: ${terminalText(message)}${io.debug ? '' : ' (run with --debug for details)'}\n`);
  if (io.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.usage;
}

/** Writes `aios: <message>` as one line (control characters and newlines escaped); exit 2. */
function oneLine(io: CliIo, message: string): ExitCode {
  try {
    io.stderr.write(`aios: ${terminalText(message)}\n`);
  } catch {
    // stderr itself is gone: the exit code is all that is left to say it.
  }
  return ExitCode.usage;
}
