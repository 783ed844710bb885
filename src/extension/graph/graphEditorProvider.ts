import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/fs';
import { useCaseInputSizes, type UseCaseSizes } from '../../core/graphview/useCaseSizes';
import type { NodeRef } from '../../protocol/graphMessages';
import { graphViewStateSchema, type GraphViewState } from '../../protocol/graphViewState';
import { GraphPanel } from './graphPanel';
import { GraphSourceClient } from './graphSourceClient';

export const graphViewType = 'aios.graph';

/** Saved view states bigger than this (huge graphs with every group open) are not kept in the workspace state. */
const maxSavedStateChars = 1_000_000;

/** One opened .onnx file: its worker thread, shared by every editor panel showing it. */
class GraphDocument implements vscode.CustomDocument {
  private client: GraphSourceClient | undefined;

  constructor(
    readonly uri: vscode.Uri,
    private readonly workerPath: string,
  ) {}

  /** A fresh worker per load, so a reload never races the previous model's reads. */
  source(): GraphSourceClient {
    this.client?.dispose();
    this.client = new GraphSourceClient(this.workerPath);
    return this.client;
  }

  get current(): GraphSourceClient | undefined {
    return this.client;
  }

  dispose(): void {
    this.client?.dispose();
  }
}

/**
 * The `aios.graph` custom editor for *.onnx files. Keeps a registry of open panels by file so
 * `aios.revealNode` can reach an open view, and reloads a view when its file changes on disk.
 */
export class GraphEditorProvider implements vscode.CustomReadonlyEditorProvider<GraphDocument> {
  private readonly panels = new Map<string, Set<GraphPanel>>();
  private readonly pendingReveals = new Map<string, NodeRef>();
  private readonly panelOpened = new vscode.EventEmitter<vscode.Uri>();
  /** A graph view of this file opened (features add their overlays to it). */
  readonly onDidOpenPanel = this.panelOpened.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** Keeps each file's last view state across closing the editor and window reloads. */
    private readonly memento?: vscode.Memento,
  ) {}

  /** The last view state of a file, shared by its editors; validated again when read (the store outlives versions). */
  private viewStateMemory(uri: vscode.Uri) {
    const key = `aios.graph.viewState:${uri.toString()}`;
    return {
      get: (): GraphViewState | undefined => {
        const parsed = graphViewStateSchema.safeParse(this.memento?.get(key));
        return parsed.success ? parsed.data : undefined;
      },
      set: (state: GraphViewState): void => {
        if (JSON.stringify(state).length <= maxSavedStateChars) void this.memento?.update(key, state);
      },
    };
  }

  openCustomDocument(uri: vscode.Uri): GraphDocument {
    return new GraphDocument(uri, vscode.Uri.joinPath(this.extensionUri, 'dist', 'workers', 'graphSource.js').fsPath);
  }

  resolveCustomEditor(document: GraphDocument, webviewPanel: vscode.WebviewPanel): void {
    const key = document.uri.toString();
    const title = document.uri.path.split('/').pop() ?? 'model.onnx';
    const reveal = this.pendingReveals.get(key);
    this.pendingReveals.delete(key);
    const panel = new GraphPanel(
      webviewPanel,
      this.extensionUri,
      {
        load: async (token) => {
          const client = document.current ?? document.source();
          const fromUseCase = await this.useCaseSizes(document.uri);
          if (fromUseCase) this.log.info(`graph view: input sizes of ${title} from ${fromUseCase.file}`);
          return client.open(document.uri.fsPath, title, token, fromUseCase?.sizes);
        },
        weights: (graph, tensor) => (document.current ?? document.source()).weights(graph, tensor),
        resize: async (sizes, token) => {
          if (!document.current) throw new Error('the model is not loaded');
          return document.current.resize(sizes, token);
        },
        viewState: this.viewStateMemory(document.uri),
      },
      this.log,
      reveal,
    );
    let set = this.panels.get(key);
    if (!set) this.panels.set(key, (set = new Set()));
    set.add(panel);
    this.panelOpened.fire(document.uri);

    const folder = vscode.Uri.joinPath(document.uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, title), true, false, true);
    let debounce: NodeJS.Timeout | undefined;
    watcher.onDidChange(() => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        document.source();
        for (const p of this.panels.get(key) ?? []) void p.reload();
      }, 300);
    });
    webviewPanel.onDidDispose(() => {
      clearTimeout(debounce);
      watcher.dispose();
      set.delete(panel);
      if (set.size === 0) this.panels.delete(key);
    });
  }

  /** Input sizes declared by a use case of the workspace that references the model, if any. */
  private async useCaseSizes(model: vscode.Uri): Promise<UseCaseSizes | undefined> {
    if (model.scheme !== 'file') return undefined;
    try {
      const files = await vscode.workspace.findFiles('**/*.usecase.{yaml,yml}', '**/node_modules/**', 500);
      return await useCaseInputSizes(nodeFileSystem, model.fsPath, files.filter((f) => f.scheme === 'file').map((f) => f.fsPath));
    } catch (error) {
      this.log.warn(`graph view: could not read the workspace's use cases for input sizes: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Open panels showing a file. */
  panelsFor(uri: vscode.Uri): GraphPanel[] {
    return [...(this.panels.get(uri.toString()) ?? [])];
  }

  /** Selects a node in an open view of the file, or opens one that selects it once drawn. */
  async reveal(uri: vscode.Uri, target: NodeRef): Promise<GraphPanel | undefined> {
    const open = this.panelsFor(uri);
    const panel = open.find((p) => p.panel.active) ?? open[0];
    if (panel) {
      panel.reveal(target);
      return panel;
    }
    this.pendingReveals.set(uri.toString(), target);
    await vscode.commands.executeCommand('vscode.openWith', uri, graphViewType);
    return this.panelsFor(uri)[0];
  }
}
