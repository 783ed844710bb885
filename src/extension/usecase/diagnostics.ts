import * as vscode from 'vscode';
import type { Diagnostic, Fix } from '../../core/diagnostics/types';
import { builtinTargetInputs } from '../../core/soc/catalog';
import type { OutlineSymbol } from '../../core/usecase/editor/outline';
import type { ValidationClient } from '../../core/usecase/validationClient';
import type { ValidationJob } from '../../core/usecase/validationProtocol';
import { Disposable } from '../util/dispose';
import { toDiagnostic } from './convert';
import { ModelWatchers } from './modelWatchers';
import { workerOutlineMinLines, type SharedOutlines } from './sharedOutline';
import type { UseCaseWorkspace } from './useCaseWorkspace';

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

interface Run {
  readonly controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The outline of the validated version has arrived, or the run is over. */
  outlined: boolean;
  done: boolean;
  /** Resolves when the run has published, failed, or was replaced by a newer one. */
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

/**
 * Diagnostics of `aios-usecase` and `aios-soc` documents: on open, as you type (debounced;
 * a newer run cancels the older one), on save, when the SoC catalog or the set of use-case
 * names changes, and when a referenced model changes on disk. The validation itself runs in
 * a worker thread (ValidationClient): the extension host's thread neither parses nor checks.
 */
export class UseCaseDiagnostics extends Disposable {
  readonly collection = this._register(vscode.languages.createDiagnosticCollection('aios'));
  private readonly runs = new Map<string, Run>();
  private readonly fixes = new Map<string, Array<{ diagnostic: vscode.Diagnostic; fixes: readonly Fix[] }>>();
  private readonly models = this._register(new ModelWatchers((path, dependents) => this.modelChanged(path, dependents)));

  constructor(
    private readonly workspace: UseCaseWorkspace,
    private readonly validator: ValidationClient,
    private readonly outlines: SharedOutlines,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(validator);
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(e.document, debounceMs())));
    this._register(
      vscode.workspace.onDidSaveTextDocument((d) => {
        // A saved SoC file may change the catalog; the file watcher also covers edits made outside.
        if (d.languageId === 'aios-soc') void workspace.reloadCatalogs();
        this.schedule(d, 0);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)));
    this._register(workspace.onDidChangeCatalog(() => this.revalidateAll()));
    // Names change as someone types `name:`; keep the debounce for every document then.
    this._register(workspace.names.onDidChange(() => this.revalidateAll('aios-usecase', debounceMs())));
    this._register({ dispose: () => this.stopAll() });
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    outlines.validationPending = (d) => this.validationPending(d);
  }

  /** Whether a validation of the document is scheduled or running and will bring its outline. */
  validationPending(document: vscode.TextDocument): boolean {
    const run = this.runs.get(document.uri.toString());
    return run !== undefined && !run.outlined && !run.done && !run.controller.signal.aborted && document.lineCount >= workerOutlineMinLines;
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
    const key = document.uri.toString();
    let run = this.start(document.uri);
    await this.run(document, run);
    // An edit, or an open event arriving just after, replaced this run: what the newest run publishes is the answer.
    for (let next = this.runs.get(key); next && next !== run && !this.isDisposed; next = this.runs.get(key)) {
      run = next;
      await next.settled;
    }
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

  /** Cancels the document's current run (timer and the worker's request) and registers a new one. */
  private start(uri: vscode.Uri): Run {
    const key = uri.toString();
    const previous = this.runs.get(key);
    if (previous) this.stop(previous);
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const run: Run = { controller: new AbortController(), timer: undefined, outlined: false, done: false, settled, settle };
    this.runs.set(key, run);
    return run;
  }

  private stop(run: Run): void {
    if (run.timer) clearTimeout(run.timer);
    run.controller.abort();
    run.settle();
  }

  private async run(document: vscode.TextDocument, run: Run): Promise<void> {
    const signal = run.controller.signal;
    const version = document.version;
    const key = document.uri.toString();
    const current = () => !signal.aborted && !document.isClosed && document.version === version && !this.isDisposed;
    const outlined = (symbols: readonly OutlineSymbol[] | undefined) => {
      if (!symbols || run.outlined) return;
      run.outlined = true;
      this.outlines.remember(document, version, symbols);
    };
    try {
      const started = performance.now();
      const job = await this.job(document);
      if (!current()) return;
      const outcome = await this.validator.validate(job, {
        key,
        signal,
        // The fast layers alone would make the model's diagnostics blink off and on at every
        // keystroke; the worker sends them early only when the model is slow to read.
        onEarly: (early) => {
          if (!current()) return;
          outlined(early.outline);
          this.publish(document.uri, early.diagnostics);
        },
      });
      if (!current()) return;
      outlined(outcome.outline);
      // Watch before publishing: whoever reacts to these diagnostics may change the model next.
      if (document.uri.scheme === 'file') this.models.set(key, outcome.modelPath);
      this.publish(document.uri, outcome.diagnostics);
      this.log.debug(`validated ${document.uri.fsPath} (version ${version}): ${outcome.diagnostics.length} diagnostics in ${(performance.now() - started).toFixed(0)} ms`);
    } catch (error) {
      if (isAbort(error, signal) || this.isDisposed) return;
      this.log.error(`validating ${document.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (current()) {
        const message = `AIOS could not finish validating this file: ${error instanceof Error ? error.message : String(error)}. Save it again to retry; if it persists, report it with the file.`;
        this.collection.set(document.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Warning)]);
      }
    } finally {
      run.done = true;
      run.settle();
      if (!run.outlined && !this.validationPending(document)) this.outlines.settle(document);
    }
  }

  /** What the worker needs: the text of this version and the workspace facts only the host knows. */
  private async job(document: vscode.TextDocument): Promise<ValidationJob> {
    const root = this.workspace.rootOf(document.uri);
    const file = document.uri.fsPath;
    const base = {
      text: document.getText(),
      filePath: file,
      workspaceRoot: root,
      saved: document.uri.scheme === 'file',
      catalogGeneration: this.workspace.catalogGeneration,
      outline: document.lineCount >= workerOutlineMinLines,
    };
    if (document.languageId !== 'aios-soc') return { ...base, kind: 'usecase', otherUseCases: this.workspace.names.others(file) };
    const loaded = await this.workspace.loadedCatalog(root);
    const otherTargets = loaded.catalog
      .entries()
      .filter((e) => e.origin === 'workspace' && e.file !== undefined && e.file !== file)
      .map((e) => ({ id: e.target.id, file: e.file ?? '' }));
    const builtinIds = builtinTargetInputs(this.workspace.host).map((t) => t.id);
    return { ...base, kind: 'soc', builtinIds, otherTargets };
  }

  private publish(uri: vscode.Uri, diagnostics: readonly Diagnostic[]): void {
    const pairs = diagnostics.map((d) => ({ diagnostic: toDiagnostic(d), fixes: d.fixes ?? [] }));
    this.fixes.set(uri.toString(), pairs);
    this.collection.set(uri, pairs.map((p) => p.diagnostic));
  }

  private modelChanged(path: string, dependents: ReadonlySet<string>): void {
    this.workspace.models.invalidate(path);
    this.validator.invalidateModel(path);
    for (const d of vscode.workspace.textDocuments) if (dependents.has(d.uri.toString())) this.schedule(d, 0);
  }

  private revalidateAll(languageId?: string, delay = 0): void {
    for (const d of vscode.workspace.textDocuments) if (languageId === undefined || d.languageId === languageId) this.schedule(d, delay);
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const run = this.runs.get(key);
    if (run) {
      this.stop(run);
      this.runs.delete(key);
    }
    this.outlines.settle(document);
    this.models.forget(key);
    this.fixes.delete(key);
    this.collection.delete(document.uri);
  }

  private stopAll(): void {
    for (const run of this.runs.values()) this.stop(run);
    this.runs.clear();
  }
}
