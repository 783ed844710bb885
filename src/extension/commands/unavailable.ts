import { pendingOn } from '../../core/capabilities/table';
import { refuse, type ContributionRegistry } from '../commandRegistry';

/**
 * The editor commands of capabilities that have not landed in the editor yet: each says so
 * plainly instead of failing silently. A feature that lands marks `editor` available in the
 * capability table and registers its commands from its own folder.
 */
export function registerUnavailableCommands(registry: ContributionRegistry): void {
  for (const capability of pendingOn('editor')) {
    for (const id of capability.commands) registry.command(id, () => refuse('not-available', capability));
  }
}
