import * as vscode from 'vscode';
import type { CatalogEntry } from '../../core/soc/catalog';
import type { SocTarget } from '../../core/soc/schema';
import { engineFigures, engineSources, figure, sourceText, targetDetail } from '../../core/usecase/editor/targetFigures';
import type { UseCaseWorkspace } from '../usecase/useCaseWorkspace';

export type TargetTreeNode =
  | { readonly kind: 'vendor'; readonly vendor: string; readonly entries: readonly CatalogEntry[] }
  | { readonly kind: 'target'; readonly entry: CatalogEntry }
  | { readonly kind: 'engine'; readonly target: SocTarget; readonly engine: SocTarget['engines'][number] }
  | { readonly kind: 'memory'; readonly target: SocTarget; readonly memory: SocTarget['memories'][number] }
  | { readonly kind: 'message'; readonly text: string };

/** The SoC catalog (built-in plus workspace `.aios/targets`) grouped by vendor; engines with their peak figures. */
export class TargetsTreeProvider implements vscode.TreeDataProvider<TargetTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TargetTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly workspace: UseCaseWorkspace) {
    this.subscription = workspace.onDidChangeCatalog(() => this.changed.fire(undefined));
  }

  /** `aios.targets.refresh`: re-reads the workspace overrides; resolves with the number of targets. */
  async refresh(): Promise<number> {
    await this.workspace.reloadCatalogs();
    return (await this.entries()).length;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async entries(): Promise<CatalogEntry[]> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const root = folder?.uri.fsPath;
    const loaded = root ? await this.workspace.loadedCatalog(root) : undefined;
    return loaded ? loaded.catalog.entries() : [];
  }

  async getChildren(element?: TargetTreeNode): Promise<TargetTreeNode[]> {
    if (!element) {
      const entries = await this.entries();
      if (entries.length === 0) return [{ kind: 'message', text: 'Open a folder to see the SoC targets of its workspace.' }];
      const vendors = new Map<string, CatalogEntry[]>();
      for (const e of entries) vendors.set(e.target.vendor, [...(vendors.get(e.target.vendor) ?? []), e]);
      return [...vendors].sort(([a], [b]) => a.localeCompare(b)).map(([vendor, list]) => ({ kind: 'vendor', vendor, entries: list }));
    }
    switch (element.kind) {
      case 'vendor':
        return element.entries.map((entry) => ({ kind: 'target', entry }));
      case 'target':
        return [
          ...element.entry.target.engines.map((engine) => ({ kind: 'engine' as const, target: element.entry.target, engine })),
          ...element.entry.target.memories.map((memory) => ({ kind: 'memory' as const, target: element.entry.target, memory })),
        ];
      default:
        return [];
    }
  }

  getTreeItem(element: TargetTreeNode): vscode.TreeItem {
    switch (element.kind) {
      case 'vendor': {
        const item = new vscode.TreeItem(element.vendor, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${element.entries.length} target${element.entries.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'aios.vendor';
        return item;
      }
      case 'target': {
        const t = element.entry.target;
        const item = new vscode.TreeItem(t.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `target:${t.id}`;
        item.description = targetDetail(element.entry).split(' · ').slice(1).join(' · ');
        item.tooltip = this.targetTooltip(element.entry);
        item.iconPath = new vscode.ThemeIcon(element.entry.origin === 'workspace' ? 'file-code' : 'circuit-board');
        item.contextValue = `aios.target.${element.entry.origin}`;
        if (element.entry.file) item.resourceUri = vscode.Uri.file(element.entry.file);
        return item;
      }
      case 'engine': {
        const e = element.engine;
        const item = new vscode.TreeItem(`${e.kind}: ${e.name ?? e.id}`, vscode.TreeItemCollapsibleState.None);
        item.id = `target:${element.target.id}:engine:${e.id}`;
        item.description = engineFigures(e);
        item.tooltip = new vscode.MarkdownString(engineSources(e).map((s) => `- ${s}`).join('\n'));
        item.iconPath = new vscode.ThemeIcon('chip');
        return item;
      }
      case 'memory': {
        const m = element.memory;
        const item = new vscode.TreeItem(`${m.kind}: ${m.id}`, vscode.TreeItemCollapsibleState.None);
        item.id = `target:${element.target.id}:memory:${m.id}`;
        item.description = `${figure(m.size.value)} · ${figure(m.bandwidth.value)}`;
        item.tooltip = new vscode.MarkdownString(`- size ${figure(m.size.value)} — ${sourceText(m.size.source)}\n- bandwidth ${figure(m.bandwidth.value)} — ${sourceText(m.bandwidth.source)}`);
        item.iconPath = new vscode.ThemeIcon('database');
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  private targetTooltip(entry: CatalogEntry): vscode.MarkdownString {
    const t = entry.target;
    const lines = [`**${t.name}** (${t.vendor})`, '', entry.origin === 'workspace' ? `From ${entry.file ?? 'the workspace'}${entry.overridesBuiltin ? ', overriding the built-in target' : ''}.` : 'Built-in target.', ''];
    for (const e of t.engines) for (const s of engineSources(e)) lines.push(`- ${e.kind} ${s}`);
    for (const m of t.memories) lines.push(`- ${m.kind} ${m.id}: ${figure(m.size.value)}, ${figure(m.bandwidth.value)} — ${sourceText(m.bandwidth.source)}`);
    lines.push(`- sustained power ${figure(t.power.sustained.value)} — ${sourceText(t.power.sustained.source)}`);
    const md = new vscode.MarkdownString(lines.join('\n'));
    md.supportThemeIcons = false;
    return md;
  }
}
