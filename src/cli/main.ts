import { processInterrupts } from './interrupts';
import { runCli } from './program';

// A reader that stops early (`aios inspect m.onnx | head`) closes the pipe: that is not an
// error of ours, so stop quietly like other Unix tools instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  debug: process.argv.includes('--debug'),
  interrupts: processInterrupts(),
}).then((code) => {
  process.exitCode = code;
});
