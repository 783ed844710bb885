import * as vscode from 'vscode';
import { LayoutRegistry, localRegistryDir } from '../../core/registry/layout/layoutRegistry';
import { isSemver } from '../../core/usecase/semver';
import { Disposable } from '../util/dispose';

/** A row of the Releases view: a repository of the embedded registry, or one of its tags. */
export type ReleaseNode = { readonly kind: 'repository'; readonly repository: string } | { readonly kind: 'tag'; readonly repository: string; readonly tag: string; readonly digest: string } | { readonly kind: 'message'; readonly text: string };

/**
 * The Releases view: repositories of the workspace's embedded registry (`.aios/registry`), each
 * with its versions and channel tags (a channel shows the digest it points at). Refreshes when
 * the registry's index.json changes (a release from this window, another one or the CLI).
 */
export class ReleasesTreeProvider extends Disposable implements vscode.TreeDataProvider<ReleaseNode> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly registry: LayoutRegistry | undefined;

  constructor(root: string | undefined) {
    super();
    this.registry = root ? new LayoutRegistry(localRegistryDir(root)) : undefined;
    if (this.registry) {
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.registry.dir), 'index.json')));
      const fire = () => this.changed.fire();
      this._register(watcher.onDidCreate(fire));
      this._register(watcher.onDidChange(fire));
      this._register(watcher.onDidDelete(fire));
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: ReleaseNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    if (node.kind === 'repository') {
      const item = new vscode.TreeItem(node.repository, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'aios.release.repository';
      return item;
    }
    const item = new vscode.TreeItem(node.tag);
    item.description = node.digest.slice(0, 19);
    item.tooltip = `local:${node.repository}:${node.tag}\n${node.digest}`;
    item.iconPath = new vscode.ThemeIcon(isSemver(node.tag) ? 'tag' : 'broadcast');
    item.contextValue = isSemver(node.tag) ? 'aios.release.version' : 'aios.release.channel';
    return item;
  }

  async getChildren(node?: ReleaseNode): Promise<ReleaseNode[]> {
    const registry = this.registry;
    if (!registry) return [{ kind: 'message', text: 'Open a folder to see its releases.' }];
    if (node === undefined) {
      const repositories = await registry.listRepositories().catch((e: unknown) => [`!${e instanceof Error ? e.message : String(e)}`]);
      if (repositories.length === 0) return [{ kind: 'message', text: 'No releases yet: use Release on a *.usecase.yaml.' }];
      return repositories.map((r) => (r.startsWith('!') ? { kind: 'message', text: r.slice(1) } : { kind: 'repository', repository: r }));
    }
    if (node.kind !== 'repository') return [];
    const tags = await registry.listTags(node.repository);
    const rows = await Promise.all(tags.map(async (tag) => ({ kind: 'tag' as const, repository: node.repository, tag, digest: (await registry.getManifest(node.repository, tag).catch(() => undefined))?.digest ?? '?' })));
    // Versions first (newest last, as released), then the channels.
    return [...rows.filter((r) => isSemver(r.tag)), ...rows.filter((r) => !isSemver(r.tag))];
  }
}
