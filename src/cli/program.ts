import { Command, CommanderError } from 'commander';
import { ExitCode, RunCancelled, UsageError } from './errors';
import type { CliIo } from './io';
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
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
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
  if (error instanceof UsageError) {
    io.stderr.write(`aios: ${error.message}\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`aios: internal error: ${message}${io.debug ? '' : ' (run with --debug for details)'}\n`);
  if (io.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.usage;
}
