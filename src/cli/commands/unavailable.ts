import type { Command } from 'commander';
import { pendingOn } from '../../core/capabilities/table';
import { NotAvailableError } from '../errors';

/**
 * The CLI commands of the capability table that have not landed yet. They parse their
 * documented arguments (so `--help` is already right) and then say plainly that they are not
 * available (exit 2). A capability that lands marks `cli` available and adds its own file.
 */
export function registerUnavailable(program: Command): void {
  for (const capability of pendingOn('cli')) {
    const cli = capability.cli;
    if (!cli) continue;
    const name = cli.usage.split(' ')[0] ?? cli.usage;
    const cmd = program.command(cli.usage).description(`${cli.summary} (not available yet)`);
    for (const [flags, description] of cli.options ?? []) cmd.option(flags, description);
    cmd.option('--json', 'print one JSON document on stdout');
    cmd.action(() => {
      throw new NotAvailableError(name);
    });
  }
}
