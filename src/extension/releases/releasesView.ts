import * as vscode from 'vscode';
import { LayoutRegistry, localRegistryDir } from '../../core/registry/layout/layoutRegistry';
import { formatRegistryLocation, parseRegistryLocation, type RegistryLocation } from '../../core/registry/reference';
import { isRegistryError, type Registry } from '../../core/registry/registry';
import { isSemver } from '../../core/usecase/semver';
import { Disposable } from '../util/dispose';

/** A row of the Releases view: a registry, one of its repositories, a tag of one, or a message (an empty list, an error and what to do). */
export type ReleaseNode =
  | { readonly kind: 'registry'; readonly location: RegistryLocation }
  | { readonly kind: 'repository'; readonly location: RegistryLocation; readonly repository: string }
  | { readonly kind: 'tag'; readonly location: RegistryLocation; readonly repository: string; readonly tag: string; readonly digest: string }
  | { readonly kind: 'message'; readonly text: string; readonly tooltip?: string; readonly severity?: 'error'; readonly command?: vscode.Command };

/** Opens the remote registry of `authority` (host[:port]) with the editor's credentials. */
export type RemoteRegistries = (authority: string) => Registry;

/** `aios.registries`: the remote registries the view lists (URLs only: credentials live in secret storage). */
export function configuredRegistries(values: unknown): { locations: RegistryLocation[]; problems: string[] } {
  const locations: RegistryLocation[] = [];
  const problems: string[] = [];
  for (const value of Array.isArray(values) ? values : []) {
    if (typeof value !== 'string') continue;
    if (/^oci:\/\/[^/]*@/.test(value.trim())) {
      problems.push(`aios.registries: '${value.replace(/\/\/[^/]*@/, '//…@')}' carries credentials: remove them from the setting and use AIOS: Set Registry Credentials…`);
      continue;
    }
    const parsed = parseRegistryLocation(value);
    if (!parsed.ok) problems.push(`aios.registries: ${parsed.error}`);
    else if (parsed.value.kind === 'oci' && !locations.some((l) => formatRegistryLocation(l) === formatRegistryLocation(parsed.value))) locations.push(parsed.value);
  }
  return { locations, problems };
}

/**
 * The Releases view: the workspace's embedded registry (`.aios/registry`) and every registry of
 * the `aios.registries` setting, each with its repositories, versions and channel tags (a
 * channel shows the digest it points at). A registry that cannot be listed shows why on its
 * node and what to do (a 401 offers Set Credentials). Refreshes when the embedded registry's
 * index.json or the setting changes.
 */
export class ReleasesTreeProvider extends Disposable implements vscode.TreeDataProvider<ReleaseNode> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly local: LayoutRegistry | undefined;
  private readonly remotes = new Map<string, Registry>();

  constructor(
    root: string | undefined,
    private readonly openRemote: RemoteRegistries,
  ) {
    super();
    this.local = root ? new LayoutRegistry(localRegistryDir(root)) : undefined;
    if (this.local) {
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.local.dir), 'index.json')));
      const fire = () => this.changed.fire();
      this._register(watcher.onDidCreate(fire));
      this._register(watcher.onDidChange(fire));
      this._register(watcher.onDidDelete(fire));
    }
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('aios.registries') && this.refresh()));
  }

  refresh(): void {
    // Credentials may have changed: remote clients (and their cached tokens) are made anew.
    this.remotes.clear();
    this.changed.fire();
  }

  /** The registry a node lives in; throws for the embedded one when no folder is open. */
  registryOf(location: RegistryLocation): Registry {
    if (location.kind === 'local') {
      if (!this.local) throw new Error('Open a folder: the embedded registry lives in its .aios/registry.');
      return this.local;
    }
    let remote = this.remotes.get(location.authority);
    if (!remote) this.remotes.set(location.authority, (remote = this.openRemote(location.authority)));
    return remote;
  }

  getTreeItem(node: ReleaseNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'info');
        if (node.tooltip) item.tooltip = node.tooltip;
        if (node.command) item.command = node.command;
        return item;
      }
      case 'registry': {
        const item = new vscode.TreeItem(node.location.kind === 'local' ? 'Local (.aios/registry)' : formatRegistryLocation(node.location), vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(node.location.kind === 'local' ? 'database' : 'cloud');
        item.contextValue = node.location.kind === 'local' ? 'aios.release.registry.local' : 'aios.release.registry.remote';
        return item;
      }
      case 'repository': {
        const item = new vscode.TreeItem(node.repository, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'aios.release.repository';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag);
        item.description = node.digest.slice(0, 19);
        item.tooltip = `${referenceOf(node)}\n${node.digest}`;
        item.iconPath = new vscode.ThemeIcon(isSemver(node.tag) ? 'tag' : 'broadcast');
        item.contextValue = isSemver(node.tag) ? 'aios.release.version' : 'aios.release.channel';
        return item;
      }
    }
  }

  async getChildren(node?: ReleaseNode): Promise<ReleaseNode[]> {
    if (node === undefined) {
      const { locations, problems } = configuredRegistries(vscode.workspace.getConfiguration('aios').get<unknown>('registries'));
      const local: ReleaseNode[] = this.local ? [{ kind: 'registry', location: { kind: 'local' } }] : [{ kind: 'message', text: 'Open a folder to see its embedded registry.' }];
      return [...local, ...locations.map((location): ReleaseNode => ({ kind: 'registry', location })), ...problems.map((text): ReleaseNode => ({ kind: 'message', text, severity: 'error' }))];
    }
    if (node.kind === 'registry') return this.repositories(node.location);
    if (node.kind === 'repository') return this.tags(node.location, node.repository);
    return [];
  }

  private async repositories(location: RegistryLocation): Promise<ReleaseNode[]> {
    try {
      const registry = this.registryOf(location);
      if (!registry.listRepositories) return [{ kind: 'message', text: `${registry.display} cannot list its repositories.` }];
      const namespace = location.kind === 'oci' ? location.namespace : undefined;
      const repositories = (await registry.listRepositories()).filter((r) => namespace === undefined || r.startsWith(`${namespace}/`));
      if (repositories.length === 0) return [{ kind: 'message', text: location.kind === 'local' ? 'No releases yet: use Release on a *.usecase.yaml.' : 'No repositories yet.' }];
      return repositories.map((repository) => ({ kind: 'repository', location, repository }));
    } catch (error) {
      return [problemNode(location, error)];
    }
  }

  private async tags(location: RegistryLocation, repository: string): Promise<ReleaseNode[]> {
    try {
      const registry = this.registryOf(location);
      // `sha256-…` tags are the OCI 1.1 fallback index of referrers (the signed statements), not releases.
      const tags = (await registry.listTags(repository)).filter((t) => !/^sha256-[0-9a-f]{64}$/.test(t));
      const rows = await Promise.all(tags.map(async (tag) => ({ kind: 'tag' as const, location, repository, tag, digest: (await registry.getManifest(repository, tag).catch(() => undefined))?.digest ?? '?' })));
      // Versions first (newest last, as released), then the channels.
      return [...rows.filter((r) => isSemver(r.tag)), ...rows.filter((r) => !isSemver(r.tag))];
    } catch (error) {
      return [problemNode(location, error)];
    }
  }
}

/** `local:repo:tag` or `oci://host/repo:tag` of a tag row. */
export function referenceOf(node: Extract<ReleaseNode, { kind: 'tag' }>): string {
  return node.location.kind === 'local' ? `local:${node.repository}:${node.tag}` : `oci://${node.location.authority}/${node.repository}:${node.tag}`;
}

/** What went wrong with a registry, on its node, with what to do. */
export function problemNode(location: RegistryLocation, error: unknown): ReleaseNode {
  const message = error instanceof Error ? error.message : String(error);
  const where = formatRegistryLocation(location);
  if (location.kind === 'oci' && isRegistryError(error, 'unauthorized')) {
    return {
      kind: 'message',
      severity: 'error',
      text: `Credentials missing or refused (401): click to set credentials for ${location.authority}`,
      tooltip: message,
      command: { title: 'Set Registry Credentials…', command: 'aios.setRegistryCredentials', arguments: [location.authority] },
    };
  }
  if (isRegistryError(error, 'unavailable')) return { kind: 'message', severity: 'error', text: `Cannot reach ${where}: check that it runs and its URL in the aios.registries setting`, tooltip: message };
  if (isRegistryError(error, 'denied')) return { kind: 'message', severity: 'error', text: `Not allowed (403) at ${where}: ask its operator for pull access`, tooltip: message };
  return { kind: 'message', severity: 'error', text: message, tooltip: message };
}
