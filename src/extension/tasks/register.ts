import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CredentialStore } from '../../core/registry/credentials/credentials';
import { builtinJobKinds } from '../../core/tasks/kinds/builtinJobKinds';
import { JobKindRegistry, type AnyJobKind } from '../../core/tasks/registry';
import type { RunRecord } from '../../core/tasks/runRecord';
import type { ContributionRegistry } from '../commandRegistry';
import { useCaseSelector } from '../usecase/useCaseWorkspace';
import { LatestResults } from './latestResults';
import { showJobProgress } from './progressNotification';
import { RunsTreeProvider } from './runsView';
import { TaskStatusBar } from './statusBar';
import { AiosTaskProvider, aiosTaskType, refusal, taskName, type AiosTaskDefinition } from './taskProvider';
import { TaskService } from './taskService';
import type { TrackedJob } from './trackedJob';
import { documentInView, isUseCasePath } from '../util/documentInView';

/** What a command that enqueues a task returns (tests read it). */
export type EnqueueResult = { readonly available: true; readonly runId: string } | { readonly available: false; readonly message: string };

/** The task runner as integration tests see it. */
export interface TasksApi {
  readonly service: TaskService;
  readonly provider: AiosTaskProvider;
  readonly runsView: RunsTreeProvider;
  readonly statusBar: TaskStatusBar;
  readonly latestResults: LatestResults;
  /** Queues a job of `kind` for a use case (its URI, else the active editor's) as an `aios` task, with a progress notification. */
  readonly enqueueForUseCase: (kind: string, useCase: unknown, inputs?: Record<string, unknown>) => EnqueueResult;
  /** Queues a job of `kind` with these inputs as an `aios` task, with a progress notification; `job` follows it when queued. */
  readonly enqueue: (kind: string, inputs: Record<string, unknown>) => { readonly result: EnqueueResult; readonly job?: TrackedJob };
  /** The use case a command was given (its URI), else the active editor's file, relative to the workspace folder. */
  readonly useCaseOf: (arg: unknown) => string | undefined;
  /**
   * Only when VS Code runs the extension for its tests (ExtensionMode.Test): adds a job kind,
   * e.g. the slow or crashing fixture kinds of test/fixtures. Undefined for users.
   */
  readonly registerJobKind?: (kind: AnyJobKind) => vscode.Disposable;
  /** Only in ExtensionMode.Test: everything the terminals of tasks with this name showed, in order. */
  readonly terminalTranscript?: (taskName: string) => string;
}

/** Commands that show a succeeded run of these kinds, given its id. */
const resultViews: Readonly<Record<string, string>> = { profile: 'aios.showProfile', quantdiff: 'aios.showQuantDiff' };

/** The given file, else the use case in view (the active editor's, or one visible beside the page the command ran from). */
const relativeUseCase = (service: TaskService, arg: unknown): string | undefined => {
  const uri = arg instanceof vscode.Uri ? arg : documentInView((u) => u.scheme === 'file' && isUseCasePath(u.path));
  return uri ? service.relativePath(uri.fsPath) : undefined;
};

/**
 * The `aios` task type, the Recent Runs view, the queue's status bar item, and the commands
 * that enqueue tasks (run pipeline, re-run) or act on runs. Quantize, profile and release
 * plug in when they land: their job kind in builtinJobKinds, their command calling
 * `enqueueForUseCase(kind, uri)`, `editor` in their capability row.
 */
export function registerTasks(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel, credentials?: CredentialStore): TasksApi {
  const kinds = new JobKindRegistry(builtinJobKinds());
  const service = new TaskService(kinds, vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'job.js').fsPath, log, credentials);
  const provider = new AiosTaskProvider(service);
  const runsView = new RunsTreeProvider(service);
  const statusBar = new TaskStatusBar(service);
  const latestResults = new LatestResults(service);
  context.subscriptions.push(
    service,
    runsView,
    statusBar,
    latestResults,
    vscode.tasks.registerTaskProvider(aiosTaskType, provider),
    vscode.languages.registerCodeLensProvider(useCaseSelector, latestResults),
  );
  registry.treeView('aios.runs', runsView);

  const find = async (arg: unknown): Promise<RunRecord | undefined> => {
    const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
    const record = id === undefined ? undefined : (await service.history()).find((r) => r.id === id);
    if (!record) void vscode.window.showWarningMessage(`AIOS: no run ${id ?? ''} in ${service.runsDir ?? 'this workspace'}: it may have been deleted. Refresh Recent Runs.`);
    return record;
  };

  const openLog = async (arg: unknown): Promise<string | undefined> => {
    const record = await find(arg);
    if (!record) return undefined;
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(record.log), { preview: true });
      return record.log;
    } catch {
      void vscode.window.showWarningMessage(`AIOS: the log of run ${record.id} is gone (${record.log}).`);
      return undefined;
    }
  };

  const start = (definition: AiosTaskDefinition): { result: EnqueueResult; job?: TrackedJob } => {
    const refused = refusal(service, definition.kind);
    if (refused) {
      void vscode.window.showInformationMessage(refused);
      return { result: { available: false, message: refused } };
    }
    const name = taskName(definition);
    const job = provider.start(definition, name);
    if (typeof job === 'string') {
      void vscode.window.showErrorMessage(job);
      return { result: { available: false, message: job } };
    }
    void vscode.tasks.executeTask(provider.task({ ...definition, queued: job.id }, name, vscode.TaskScope.Workspace, job));
    showJobProgress(job, openLog);
    return { result: { available: true, runId: job.id }, job };
  };
  const enqueue = (definition: AiosTaskDefinition): EnqueueResult => start(definition).result;

  const withUseCase = (kind: string, arg: unknown, extra: Record<string, unknown> = {}): EnqueueResult => {
    const useCase = relativeUseCase(service, arg);
    if (!useCase) return { available: false, message: 'AIOS: open a *.usecase.yaml file or run the command from its editor.' };
    return enqueue({ type: aiosTaskType, kind, useCase, ...extra });
  };

  registry.command('aios.runPipeline', async (arg?: unknown) => {
    if (arg instanceof vscode.Uri) return enqueue({ type: aiosTaskType, kind: 'run', useCases: [service.relativePath(arg.fsPath)] });
    const files = await vscode.workspace.findFiles('**/*.{usecase.yaml,usecase.yml}', '**/{node_modules,.aios}/**', 200);
    if (files.length === 0) return { available: false, message: 'AIOS: no *.usecase.yaml in this workspace: create one with AIOS: New Use Case.' };
    return enqueue({ type: aiosTaskType, kind: 'run', useCases: files.map((f) => service.relativePath(f.fsPath)).sort() });
  });

  registry.command('aios.runs.refresh', () => runsView.refresh());
  registry.command('aios.runs.openLog', openLog);
  registry.command('aios.runs.openResult', async (arg?: unknown) => {
    const record = await find(arg);
    if (!record) return undefined;
    // Kinds with a view of their own open it (the run's result, not the newest of its kind).
    const view = record.status === 'succeeded' ? resultViews[record.kind] : undefined;
    if (view) return vscode.commands.executeCommand<string | undefined>(view, record.id);
    const output = record.outputs[0]?.path;
    const target = vscode.Uri.file(output ?? join(service.runsDir ?? '', record.id, 'run.json'));
    await vscode.commands.executeCommand('vscode.open', target);
    return target.fsPath;
  });
  registry.command('aios.runs.rerun', async (arg?: unknown) => {
    const record = await find(arg);
    if (!record) return undefined;
    const params = typeof record.params === 'object' && record.params !== null ? record.params : {};
    return enqueue({ type: aiosTaskType, kind: record.kind, inputs: params });
  });
  registry.command('aios.runs.cancel', async (arg?: unknown) => {
    const record = await find(arg);
    if (!record) return false;
    const cancelled = service.cancel(record.id);
    if (!cancelled) void vscode.window.showInformationMessage(`AIOS: run ${record.id} is not queued or running in this window (${record.status}); a run of another window or of the CLI is cancelled there.`);
    return cancelled;
  });
  registry.command('aios.runs.delete', async (arg?: unknown) => {
    const record = await find(arg);
    if (!record || !service.store) return false;
    const deleted = await service.store.delete(record.id);
    if (!deleted) void vscode.window.showWarningMessage(`AIOS: run ${record.id} is ${record.status}: cancel it before deleting it.`);
    await runsView.refresh();
    return deleted;
  });

  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const transcripts = new Map<string, string>();
  if (testMode) provider.transcript = (name, text) => transcripts.set(name, (transcripts.get(name) ?? '') + text);

  return {
    service,
    provider,
    runsView,
    statusBar,
    latestResults,
    enqueueForUseCase: withUseCase,
    enqueue: (kind, inputs) => start({ type: aiosTaskType, kind, ...inputs }),
    useCaseOf: (arg) => relativeUseCase(service, arg),
    ...(testMode ? { registerJobKind: (kind: AnyJobKind) => kinds.register(kind), terminalTranscript: (name: string) => transcripts.get(name) ?? '' } : {}),
  };
}
