import { dirname, posix, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { compareDiagnostics, type Diagnostic, type Fix } from '../../core/diagnostics/types';
import { builtinTargetInputs } from '../../core/soc/catalog';
import { validateSoc } from '../../core/soc/validateSoc';
import { semanticChecksAsync, useCaseSections } from '../../core/usecase/semantic';
import { checkUseCase } from '../../core/usecase/validateUseCase';
import { resolveInWorkspace } from '../../core/usecase/workspacePath';
import { Disposable, disposeAll } from '../util/dispose';
import { toDiagnostic } from './convert';
import type { UseCaseWorkspace } from './useCaseWorkspace';

/** How long the file checks may take before the syntax and schema results are shown without them. */
const earlyPublishMs = 150;

const languages = new Set(['aios-usecase', 'aios-soc']);

export function isAiosDocument(document: vscode.TextDocument): boolean {
  return languages.has(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

function debounceMs(): number {
  const value = vscode.workspace.getConfiguration('aios.validation').get<number>('debounceMs', 250);
  return Number.isFinite(value) ? Math.max(0, Math.min(5000, value)) : 250;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/** A glob matching one path literally: glob characters in names become single-character wildcards. */
function literalGlob(path: string): string {
  return path.replace(/[*?{}[\]]/g, '?');
}

interface Run {
  readonly controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The document version this run validates, once it has parsed. */
  parsed: boolean;
}

/**
 * Diagnostics of `aios-usecase` and `aios-soc` documents: on open, as you type (debounced;
 * a newer run aborts the older one), on save, when the SoC catalog or the set of use-case
 * names changes, and when a referenced model changes on disk.
 */
export class UseCaseDiagnostics extends Disposable {
  readonly collection = this._register(vscode.languages.createDiagnosticCollection('aios'));
  private readonly runs = new Map<string, Run>();
  private readonly fixes = new Map<string, Array<{ diagnostic: vscode.Diagnostic; fixes: readonly Fix[] }>>();
  /** Model file -> its watcher and the documents that reference it. */
  private readonly modelWatchers = new Map<string, { watcher: vscode.FileSystemWatcher; dependents: Set<string> }>();
  private readonly modelOf = new Map<string, string>();

  constructor(private readonly workspace: UseCaseWorkspace) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(e.document, debounceMs())));
    this._register(
      vscode.workspace.onDidSaveTextDocument((d) => {
        // A saved SoC file may change the catalog; the file watcher also covers edits made outside.
        if (d.languageId === 'aios-soc') void workspace.reloadCatalogs();
        this.schedule(d, 0);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    this._register(workspace.onDidChangeCatalog(() => this.revalidateAll()));
    // Names change as someone types `name:`; keep the debounce for every document then.
    this._register(workspace.names.onDidChange(() => this.revalidateAll('aios-usecase', debounceMs())));
    this._register({ dispose: () => this.stopAll() });
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    workspace.validationPending = (d) => this.validationPending(d);
  }

  /** Whether a validation of the document is scheduled or running and has not parsed yet. */
  validationPending(document: vscode.TextDocument): boolean {
    const run = this.runs.get(document.uri.toString());
    return run !== undefined && !run.parsed && !run.controller.signal.aborted && document.languageId === 'aios-usecase';
  }

  /** The quick fixes the core attached to a diagnostic VS Code hands back (matched by code, range and message). */
  fixesFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): readonly Fix[] {
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    const entry = this.fixes.get(uri.toString())?.find(
      (e) => e.diagnostic.code === code && e.diagnostic.message === diagnostic.message && e.diagnostic.range.isEqual(diagnostic.range),
    );
    return entry?.fixes ?? [];
  }

  /** Validates now (all layers), publishes, and returns what was published. */
  async validateNow(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const run = this.start(document.uri);
    await this.run(document, run);
    return this.collection.get(document.uri) ?? [];
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isAiosDocument(document) || this.isDisposed) return;
    const run = this.start(document.uri);
    run.timer = setTimeout(() => {
      run.timer = undefined;
      void this.run(document, run);
    }, delay);
  }

  /** Cancels the document's current run (timer and in-flight I/O) and registers a new one. */
  private start(uri: vscode.Uri): Run {
    const key = uri.toString();
    const previous = this.runs.get(key);
    if (previous) {
      if (previous.timer) clearTimeout(previous.timer);
      previous.controller.abort();
    }
    const run: Run = { controller: new AbortController(), timer: undefined, parsed: false };
    this.runs.set(key, run);
    return run;
  }

  private async run(document: vscode.TextDocument, run: Run): Promise<void> {
    const signal = run.controller.signal;
    const version = document.version;
    const current = () => !signal.aborted && !document.isClosed && document.version === version && !this.isDisposed;
    try {
      if (document.languageId === 'aios-soc') {
        await this.runSoc(document, current);
        return;
      }
      const context = await this.workspace.validationContext(document, signal);
      if (!current()) return;
      const text = document.getText();
      const check = checkUseCase(text, context);
      run.parsed = true;
      this.workspace.rememberParse(document, version, check.parsed);
      // An unsaved new file has no folder its references could be resolved against.
      const sections = check.parsed.usable && document.uri.scheme === 'file' ? useCaseSections(check.parsed.value) : undefined;
      if (!sections) {
        this.publish(document.uri, check.diagnostics);
        await this.watchModel(document, undefined);
        return;
      }
      // Publishing the fast layers at once would make the model's diagnostics blink off and
      // on at every keystroke; they go out alone only when the model is slow to read.
      const early = setTimeout(() => current() && this.publish(document.uri, check.diagnostics), earlyPublishMs);
      try {
        await this.watchModel(document, sections.model?.path);
        const more = await semanticChecksAsync(check.parsed, sections, context);
        if (!current()) return;
        this.publish(document.uri, [...check.diagnostics, ...more].sort(compareDiagnostics));
      } finally {
        clearTimeout(early);
      }
    } catch (error) {
      if (isAbort(error, signal)) return;
      console.error(`AIOS: validating ${document.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (current()) {
        const message = `AIOS could not finish validating this file: ${error instanceof Error ? error.message : String(error)}. Save it again to retry; if it persists, report it with the file.`;
        this.collection.set(document.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Warning)]);
      }
    } finally {
      if (!run.parsed && !this.validationPending(document)) this.workspace.settleParseWaiters(document);
    }
  }

  private async runSoc(document: vscode.TextDocument, current: () => boolean): Promise<void> {
    const loaded = await this.workspace.loadedCatalog(this.workspace.rootOf(document.uri));
    if (!current()) return;
    const file = document.uri.fsPath;
    const otherTargets = loaded.catalog
      .entries()
      .filter((e) => e.origin === 'workspace' && e.file !== undefined && e.file !== file)
      .map((e) => ({ id: e.target.id, file: e.file ?? '' }));
    const builtinIds = builtinTargetInputs(this.workspace.host).map((t) => t.id);
    const check = validateSoc(document.getText(), { filePath: file, builtinIds, otherTargets });
    this.publish(document.uri, check.diagnostics);
  }

  private publish(uri: vscode.Uri, diagnostics: readonly Diagnostic[]): void {
    const pairs = diagnostics.map((d) => ({ diagnostic: toDiagnostic(d), fixes: d.fixes ?? [] }));
    this.fixes.set(uri.toString(), pairs);
    this.collection.set(uri, pairs.map((p) => p.diagnostic));
  }

  /** Keeps one watcher per referenced model file; a change re-validates every document that uses it. */
  private async watchModel(document: vscode.TextDocument, reference: string | undefined): Promise<void> {
    if (document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    let path: string | undefined;
    if (reference !== undefined) {
      const verdict = await resolveInWorkspace(this.workspace.rootOf(document.uri), document.uri.fsPath, reference, undefined);
      if (verdict.ok) path = verdict.path;
    }
    const previous = this.modelOf.get(key);
    if (previous === path || this.isDisposed) return;
    if (previous !== undefined) this.release(key, previous);
    if (path === undefined) {
      this.modelOf.delete(key);
      return;
    }
    this.modelOf.set(key, path);
    let entry = this.modelWatchers.get(path);
    if (!entry) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path));
      const pattern = folder
        ? new vscode.RelativePattern(folder, literalGlob(relative(folder.uri.fsPath, path).split(sep).join(posix.sep)))
        : new vscode.RelativePattern(vscode.Uri.file(dirname(path)), literalGlob(path.slice(dirname(path).length + 1)));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const watched = path;
      const changed = () => this.modelChanged(watched);
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      entry = { watcher, dependents: new Set() };
      this.modelWatchers.set(path, entry);
    }
    entry.dependents.add(key);
  }

  private modelChanged(path: string): void {
    this.workspace.models.invalidate(path);
    const dependents = this.modelWatchers.get(path)?.dependents ?? new Set<string>();
    for (const d of vscode.workspace.textDocuments) if (dependents.has(d.uri.toString())) this.schedule(d, 0);
  }

  private release(documentKey: string, path: string): void {
    const entry = this.modelWatchers.get(path);
    if (!entry) return;
    entry.dependents.delete(documentKey);
    if (entry.dependents.size === 0) {
      entry.watcher.dispose();
      this.modelWatchers.delete(path);
    }
  }

  private revalidateAll(languageId?: string, delay = 0): void {
    for (const d of vscode.workspace.textDocuments) if (languageId === undefined || d.languageId === languageId) this.schedule(d, delay);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const run = this.runs.get(key);
    if (run) {
      if (run.timer) clearTimeout(run.timer);
      run.controller.abort();
      this.runs.delete(key);
    }
    const model = this.modelOf.get(key);
    if (model !== undefined) this.release(key, model);
    this.modelOf.delete(key);
    this.fixes.delete(key);
    this.collection.delete(uri);
  }

  private stopAll(): void {
    for (const run of this.runs.values()) {
      if (run.timer) clearTimeout(run.timer);
      run.controller.abort();
    }
    this.runs.clear();
    disposeAll([...this.modelWatchers.values()].map((e) => e.watcher));
    this.modelWatchers.clear();
  }
}
