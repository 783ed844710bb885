import * as vscode from 'vscode';
import { cliCredentials } from '../../core/registry/credentials/cli';
import { chainCredentialStores } from '../../core/registry/credentials/credentials';
import { remoteRegistries } from '../../core/registry/distribution/open';
import type { ContributionRegistry } from '../commandRegistry';
import { manifestScheme, ReleaseActions } from './releaseActions';
import { ReleasesTreeProvider } from './releasesView';
import type { SecretStorageCredentials } from './secretCredentials';
import { setRegistryCredentials } from './setCredentials';

export interface ReleasesApi {
  readonly view: ReleasesTreeProvider;
  readonly actions: ReleaseActions;
}

/**
 * The Releases view (embedded and configured registries) with its actions, and the credential
 * prompt. Remote registries read credentials from secret storage first, then where the CLI
 * looks (environment, docker login); their request log lines go to the AIOS channel at trace
 * level and never carry credentials.
 */
export function registerReleases(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel, root: string | undefined, secrets: SecretStorageCredentials): ReleasesApi {
  // Listing fails fast (the view waits on it); pull, verify and promote retry like the CLI.
  const credentials = chainCredentialStores([secrets, cliCredentials(process.env)]);
  const open = remoteRegistries({ credentials, env: process.env, log: (line) => log.trace(line) });
  const view = new ReleasesTreeProvider(root, open);
  const actions = new ReleaseActions(view, log);
  context.subscriptions.push(view, vscode.workspace.registerTextDocumentContentProvider(manifestScheme, { provideTextDocumentContent: (uri) => actions.manifestText(uri) }));
  registry.treeView('aios.releases', view);
  registry.command('aios.releases.refresh', () => view.refresh());
  registry.command('aios.releases.verify', (arg?: unknown) => actions.verify(arg));
  registry.command('aios.releases.pull', (arg?: unknown, outDir?: unknown) => actions.pull(arg, typeof outDir === 'string' ? outDir : undefined));
  registry.command('aios.releases.promote', (arg?: unknown, channel?: unknown) => actions.promote(arg, typeof channel === 'string' ? channel : undefined));
  registry.command('aios.releases.openManifest', (arg?: unknown) => actions.openManifest(arg));
  registry.command('aios.setRegistryCredentials', async (host?: unknown) => {
    const set = await setRegistryCredentials(secrets, log, typeof host === 'string' ? host : undefined);
    if (set !== undefined) view.refresh();
    return set;
  });
  return { view, actions };
}
