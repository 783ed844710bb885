import { fileErrorReason } from '../core/files/regularFile';
import { terminalText } from '../core/text/terminalText';
import { ExitCode } from './errors';
import { processInterrupts } from './interrupts';
import { runCli } from './program';

/** Last words: one line on stderr (if it still works), then exit; never a stack trace. */
function die(message: string, code: number): never {
  try {
    process.stderr.write(`aios: ${terminalText(message)}\n`);
  } catch {
    // stderr is gone too.
  }
  process.exit(code);
}

for (const [stream, name] of [
  [process.stdout, 'stdout'],
  [process.stderr, 'stderr'],
] as const) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`aios inspect m.onnx | head`) closes the pipe: that is not an
    // error of ours, so stop quietly like other Unix tools.
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (name === 'stderr') process.exit(ExitCode.usage);
    // `> /dev/full`, a full disk or a broken terminal: say why once, exit 2.
    die(`cannot write the output to ${name}: ${fileErrorReason(error.code) ?? error.message} (${error.code ?? 'error'})`, ExitCode.usage);
  });
}

// Anything that escapes the command's own error handling still ends in one line.
process.on('uncaughtException', (error) => die(`internal error: ${error instanceof Error ? error.message : String(error)} (please report it)`, ExitCode.usage));
process.on('unhandledRejection', (error) => die(`internal error: ${error instanceof Error ? error.message : String(error)} (please report it)`, ExitCode.usage));

let cwd: string;
try {
  cwd = process.cwd();
} catch (error) {
  const code = (error as { code?: unknown }).code;
  die(
    code === 'ENOENT'
      ? 'the current folder no longer exists (was it deleted?); cd to an existing folder and run the command again'
      : `cannot read the current folder: ${fileErrorReason(code) ?? String(error)}`,
    ExitCode.usage,
  );
}

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd,
  debug: process.argv.includes('--debug'),
  interrupts: processInterrupts(),
}).then((code) => {
  process.exitCode = code;
});
