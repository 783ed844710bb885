import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseYaml, type ParsedYaml } from '../../core/diagnostics/yamlDocument';
import { readModelFile } from '../../core/onnx/read';
import { builtinCatalog, type Catalog, type HostInfo } from '../../core/soc/catalog';
import { hostInfoFromOs } from '../../core/soc/hostInfo';
import { loadCatalog, type LoadedCatalog } from '../../core/soc/loadCatalog';
import { ModelMetadataCache } from '../../core/usecase/modelMetadata';
import { Disposable } from '../util/dispose';
import { UseCaseNameIndex } from './nameIndex';
import { workspaceFileSystem } from './workspaceFs';

export const targetFilesGlob = '**/.aios/targets/*.{soc.yaml,soc.yml}';

/**
 * What every use-case editor feature shares for the session: the file system adapter, the
 * SoC catalog of each workspace folder (built-in plus `.aios/targets`), the model metadata
 * cache, the index of use-case names, and one parse per document version for the features
 * the user asks for (validation parses in its worker thread).
 */
export class UseCaseWorkspace extends Disposable {
  readonly fs = workspaceFileSystem;
  readonly host: HostInfo = hostInfoFromOs();
  // Models are read through a 1 MiB window from the local file, not loaded whole: a
  // 500 MB model costs its graph, not its weights (virtual workspaces are not supported).
  readonly models = new ModelMetadataCache((path, signal) => readModelFile(path, signal ? { signal } : {}));
  readonly names = this._register(new UseCaseNameIndex());
  private readonly catalogs = new Map<string, Promise<LoadedCatalog>>();
  private readonly catalogChanged = this._register(new vscode.EventEmitter<void>());
  /** Fires after the catalog was re-read (a workspace `.soc.yaml` changed, or a refresh). */
  readonly onDidChangeCatalog = this.catalogChanged.event;
  private readonly parsed = new WeakMap<vscode.TextDocument, { version: number; parsed: ParsedYaml }>();
  /** Bumped when the catalog must be read again; the validation worker reloads its copy then. */
  catalogGeneration = 0;
  /** YAML parses made on the extension host's thread (hover, completion, definition, small outlines). */
  hostParses = 0;

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(targetFilesGlob));
    const reload = () => void this.reloadCatalogs();
    this._register(watcher.onDidCreate(reload));
    this._register(watcher.onDidChange(reload));
    this._register(watcher.onDidDelete(reload));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(reload));
  }

  /** The workspace folder a file belongs to; a file outside every folder is its own workspace. */
  rootOf(uri: vscode.Uri): string {
    return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath);
  }

  loadedCatalog(root: string): Promise<LoadedCatalog> {
    let loaded = this.catalogs.get(root);
    if (!loaded) {
      loaded = loadCatalog(this.fs, root, this.host).catch((error: unknown) => {
        // An unreadable .aios/targets must not take the built-in targets down with it.
        console.error(`AIOS: could not read the workspace SoC targets of ${root}: ${error instanceof Error ? error.message : String(error)}`);
        return { catalog: builtinCatalog(this.host), files: [] };
      });
      this.catalogs.set(root, loaded);
    }
    return loaded;
  }

  async catalogFor(uri: vscode.Uri): Promise<Catalog> {
    return (await this.loadedCatalog(this.rootOf(uri))).catalog;
  }

  /** Re-reads the workspace targets of every folder, then tells listeners. */
  async reloadCatalogs(): Promise<void> {
    this.catalogGeneration++;
    const roots = [...new Set([...this.catalogs.keys(), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)])];
    this.catalogs.clear();
    await Promise.all(roots.map((root) => this.loadedCatalog(root)));
    if (!this.isDisposed) this.catalogChanged.fire();
  }

  /** The parse of the document's current version, if something already made it. */
  cachedParse(document: vscode.TextDocument): ParsedYaml | undefined {
    const hit = this.parsed.get(document);
    return hit && hit.version === document.version ? hit.parsed : undefined;
  }

  /** The document parsed once per version, shared by hover, completion, definition, lenses and small outlines. */
  parse(document: vscode.TextDocument): ParsedYaml {
    const cached = this.cachedParse(document);
    if (cached) return cached;
    this.hostParses++;
    const parsed = parseYaml(document.getText());
    this.parsed.set(document, { version: document.version, parsed });
    return parsed;
  }
}

export const useCaseSelector: vscode.DocumentSelector = [
  { language: 'aios-usecase', scheme: 'file' },
  { language: 'aios-usecase', scheme: 'untitled' },
];
export const yamlSelector: vscode.DocumentSelector = [...(useCaseSelector as vscode.DocumentFilter[]), { language: 'aios-soc', scheme: 'file' }, { language: 'aios-soc', scheme: 'untitled' }];
