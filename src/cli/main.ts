import { runCli } from './program';

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  debug: process.argv.includes('--debug'),
}).then((code) => {
  process.exitCode = code;
});
