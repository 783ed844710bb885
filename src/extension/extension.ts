import * as vscode from 'vscode';
import { ContributionRegistry } from './commandRegistry';
import { createAiosLog } from './log';
import { registerUnavailableCommands } from './commands/unavailable';
import { registerReleases, type ReleasesApi } from './releases/register';
import { SecretStorageCredentials } from './releases/secretCredentials';
import { registerGraphView, type GraphViewApi } from './graph/register';
import { registerUseCaseLanguageFeatures, type UseCaseStats } from './usecase/register';
import { registerOpenSample } from './commands/openSample';
import { registerTasks, type TasksApi } from './tasks/register';
import { registerQuantDiff, type QuantDiffApi } from './quantdiff/register';
import type { TargetsTreeProvider } from './views/targetsView';
import { registerProfile, type ProfileApi } from './profile/register';
import { registerQuantize } from './quantize/register';
import { UseCaseRunResults } from './results/useCaseResults';
import { useCaseSelector } from './usecase/useCaseWorkspace';

/** What `activate` returns; integration tests read it through `extension.exports`. */
export interface AiosExtensionApi {
  /** Wall time spent inside `activate`, measured in the extension host. */
  readonly activationMs: number;
  readonly commandIds: ReadonlySet<string>;
  readonly viewIds: ReadonlySet<string>;
  /** The SoC Targets view's data, for tests that walk the tree. */
  readonly targetsTree: TargetsTreeProvider;
  /** The graph view's editor provider and diff panels, for features that reveal nodes and for tests. */
  readonly graph: GraphViewApi;
  /** Where use-case validation and parsing ran (worker vs. host thread), for tests. */
  readonly useCaseStats: UseCaseStats;
  /** The task queue, Recent Runs and the status bar item, for tests. */
  readonly tasks: TasksApi;
  /** The Releases view's data and actions, for tests. */
  readonly releases: ReleasesApi;
  /** The extension's log folder (the AIOS output channel's file is under its parent), for tests that check what was logged. */
  readonly logFolder: string;
  /** Open quantization diff panels, for tests. */
  readonly quantDiff: QuantDiffApi;
  /** Open profile panels, for tests. */
  readonly profile: ProfileApi;
  /** Quantize and profile results placed at the use case's lines (lenses, diagnostics), for tests. */
  readonly runResults: UseCaseRunResults;
}

export function activate(context: vscode.ExtensionContext): AiosExtensionApi {
  const started = performance.now();
  const log = createAiosLog();
  context.subscriptions.push(log);
  const registry = new ContributionRegistry(context.subscriptions, log);

  registerUnavailableCommands(registry);
  registerOpenSample(registry);
  const useCase = registerUseCaseLanguageFeatures(context, registry, log);

  registry.treeView('aios.targets', useCase.targetsTree);
  const secrets = new SecretStorageCredentials(context.secrets);
  const tasks = registerTasks(context, registry, log, secrets);
  const releases = registerReleases(context, registry, log, tasks.service.root, secrets);
  registry.command('aios.release', (arg?: unknown) => tasks.enqueueForUseCase('release', arg));

  const graph = registerGraphView(context, registry, log);
  const quantDiff = registerQuantDiff(context, registry, log, tasks, graph);
  registerQuantize(registry, tasks);
  const profile = registerProfile(context, registry, log, tasks, graph);
  const runResults = new UseCaseRunResults(tasks.service, tasks.latestResults);
  context.subscriptions.push(runResults, vscode.languages.registerCodeLensProvider(useCaseSelector, runResults));

  return {
    activationMs: performance.now() - started,
    commandIds: registry.commandIds,
    viewIds: registry.viewIds,
    targetsTree: useCase.targetsTree,
    graph,
    useCaseStats: useCase.stats,
    tasks,
    releases,
    logFolder: context.logUri.fsPath,
    quantDiff,
    profile,
    runResults,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
