import { basename } from 'node:path';
import * as vscode from 'vscode';
import { profileResultSchema, type ProfileResult } from '../../core/profile/result';
import { latencyOverlay } from '../../core/profile/view/latencyOverlay';
import { profileViewData } from '../../core/profile/view/profileViewData';
import type { RunRecord } from '../../core/tasks/runRecord';
import type { ContributionRegistry } from '../commandRegistry';
import type { GraphViewApi } from '../graph/register';
import type { EnqueueResult, TasksApi } from '../tasks/register';
import { openAppPanel, revealNodeThen } from '../util/webviewAppPanel';
import { ProfilePanel, profileViewType } from './profilePanel';

/** What tests use of the profile view. */
export interface ProfileApi {
  readonly panels: ReadonlySet<ProfilePanel>;
}

export interface ProfileRun {
  readonly record: RunRecord;
  readonly result: ProfileResult;
}

/** A quick pick of profile runs, newest first: what was profiled, on which targets, how it went. */
async function choose(runs: readonly ProfileRun[]): Promise<ProfileRun | undefined> {
  const items = runs.slice(0, 50).map((run) => {
    const r = run.result;
    const over = r.results.filter((t) => Object.values(t.fits).some((f) => f === false)).length;
    return {
      run,
      label: r.ecu ? `ECU ${r.ecu.ecu}` : basename(r.useCase ?? r.model ?? run.record.id),
      description: `${r.results.map((t) => t.target).join(', ')}${over > 0 ? ` · ${over} over budget` : ''}`,
      detail: `${run.record.id} · ${run.record.command}`,
    };
  });
  return (await vscode.window.showQuickPick(items, { title: 'AIOS: Show Profile Results', placeHolder: 'Choose a profile run', matchOnDetail: true }))?.run;
}

const runIdOf = (arg: unknown): string | undefined =>
  typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string' ? (arg as { runId: string }).runId : undefined;

/**
 * `aios.profile(useCase?, soc?, ecu?)`: the profile job of a use case (all its targets, or the
 * one its lens names), or of every use case deployed on an ECU, as a background task.
 * `aios.showProfile([runId | useCase])`: that run, else the newest profile of the use case (the
 * active editor's), else the newest of the workspace, in the profile view; a layer row reveals
 * its node in the graph view. Graph views of a model get a latency overlay per target from
 * the newest profile of that model.
 */
export function registerProfile(context: vscode.ExtensionContext, registry: ContributionRegistry, log: vscode.LogOutputChannel, tasks: TasksApi, graph: GraphViewApi): ProfileApi {
  const panels = new Set<ProfilePanel>();

  registry.command('aios.profile', (arg?: unknown, soc?: unknown, ecu?: unknown): EnqueueResult => {
    if (typeof ecu === 'string' && ecu.length > 0) return tasks.enqueue('profile', { input: '.', ecu }).result;
    const useCase = tasks.useCaseOf(arg);
    if (!useCase || !/\.usecase\.ya?ml$/.test(useCase)) {
      const message = 'AIOS: open a *.usecase.yaml file (or use its Profile lens) to profile its model on its targets.';
      void vscode.window.showInformationMessage(message);
      return { available: false, message };
    }
    return tasks.enqueue('profile', { input: useCase, ...(typeof soc === 'string' && soc.length > 0 ? { targets: [soc] } : {}) }).result;
  });

  const runs = async (): Promise<ProfileRun[]> => {
    const found: ProfileRun[] = [];
    for (const record of await tasks.service.history().catch(() => [])) {
      if (record.kind !== 'profile' || record.status !== 'succeeded') continue;
      const parsed = profileResultSchema.safeParse(record.summary);
      if (parsed.success) found.push({ record, result: parsed.data });
      else log.warn(`profile view: run ${record.id} has a summary this version cannot read (${parsed.error.issues[0]?.message ?? 'unknown'})`);
    }
    return found;
  };

  let newest: Promise<ProfileRun[]> | undefined;
  const profiles = () => (newest ??= runs());

  const applyOverlay = async (uri?: vscode.Uri) => {
    const done = new Set<string>();
    for (const { record, result } of await profiles()) {
      if (!result.model || done.has(result.model)) continue;
      done.add(result.model);
      const model = vscode.Uri.file(result.model);
      if (uri && uri.toString() !== model.toString()) continue;
      for (const panel of graph.provider.panelsFor(model)) {
        for (const row of result.results) {
          try {
            const unmatched = await panel.showNamedOverlay(latencyOverlay(row), false);
            if (unmatched.length) log.info(`latency overlay: ${unmatched.length} layers of run ${record.id} on ${row.target} match no node of ${model.fsPath}`);
          } catch (error) {
            log.warn(`latency overlay: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    }
  };
  context.subscriptions.push(
    tasks.service.onDidChangeRuns(() => {
      newest = undefined;
      void applyOverlay();
    }),
    graph.provider.onDidOpenPanel((uri) => void applyOverlay(uri)),
  );

  registry.command('aios.showProfile', async (arg?: unknown) => {
    const runId = runIdOf(arg);
    const useCase = arg instanceof vscode.Uri ? arg.fsPath : vscode.window.activeTextEditor?.document.uri.fsPath;
    const all = await profiles();
    const ofUseCase = useCase === undefined ? undefined : all.find((r) => r.result.useCase === useCase || r.record.inputs.some((i) => i.path === useCase));
    // From the palette with no use case at hand, and several runs: the user chooses one.
    const found = runId ? all.find((r) => r.record.id === runId) : (ofUseCase ?? (arg === undefined && all.length > 1 ? await choose(all) : all[0]));
    if (!runId && !ofUseCase && arg === undefined && all.length > 1 && !found) return undefined; // the pick was dismissed
    if (!found) {
      void vscode.window.showInformationMessage(
        runId
          ? `AIOS: run ${runId} is not a succeeded profile of this workspace.`
          : 'AIOS: no profile yet. Use a Profile lens of a use case, AIOS: Profile on Targets, or run `aios profile USECASE` in this folder.',
      );
      return undefined;
    }
    const { record, result } = found;
    const title = `Profile: ${result.ecu ? `ECU ${result.ecu.ecu}` : basename(result.useCase ?? result.model ?? record.id)}`;
    const panel = openAppPanel(context.extensionUri, profileViewType, title, panels, (webviewPanel) => new ProfilePanel(webviewPanel, context.extensionUri, log, revealNodeThen(applyOverlay)));
    panel.show(profileViewData(result, title), record.id);
    return record.id;
  });
  return { panels };
}
