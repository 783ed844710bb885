/**
 * First step of `npm test` (and of `test:unit` / `test:integration` run alone): the Debian
 * packages any suite needs are installed before the first suite that needs them, so the
 * README's `npm ci && npm test` works on a fresh machine. As root it installs what is
 * missing with apt-get; otherwise it stops (exit 2) with the command to run.
 */
import { ensureSystemPackages, requiredPackages, SetupError } from '../integration/runner/systemPackages';

void ensureSystemPackages((line) => console.log(line)).then(
  (installed) => {
    console.log(installed.length > 0 ? `system packages: installed ${installed.join(' ')}` : `system packages: ${requiredPackages.length} present`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof SetupError ? error.exitCode : 1;
  },
);
