import { basename } from 'node:path';
import * as vscode from 'vscode';
import { JobSpecError } from '../../core/tasks/registry';
import { capabilities, isAvailable, notAvailableMessage } from '../../core/capabilities/table';
import type { TaskService } from './taskService';
import { TaskTerminal } from './taskTerminal';
import type { TrackedJob } from './trackedJob';

export const aiosTaskType = 'aios';

/** `{"type": "aios", "kind": "run", "useCases": [...]}`: the kind, then the kind's own inputs. */
export interface AiosTaskDefinition extends vscode.TaskDefinition {
  readonly kind: string;
  /** Set when a command enqueued the task, so that queued copies of one task are told apart; not for tasks.json. */
  readonly queued?: string;
}

export function isAiosTaskDefinition(value: vscode.TaskDefinition): value is AiosTaskDefinition {
  return value.type === aiosTaskType && typeof value['kind'] === 'string';
}

/** Why a job of this kind cannot run here, or undefined when it can. */
export function refusal(service: TaskService, kind: string): string | undefined {
  if (!vscode.workspace.isTrusted) {
    return 'AIOS runs no tasks in a restricted workspace: trust this folder (Manage Workspace Trust) to run it.';
  }
  if (service.registry.get(kind)) return undefined;
  // Task kinds are named like their capability (quantize, quantdiff, profile, release).
  const capability = capabilities.find((c) => c.id === kind);
  if (capability && !isAvailable(capability, 'editor')) return `AIOS: ${notAvailableMessage(capability)}`;
  return `AIOS: there is no task kind '${kind}'. Use one of: ${service.registry.all().map((k) => k.kind).join(', ')}.`;
}

/**
 * The job's inputs: the definition's `inputs` object and its other fields besides type, kind
 * and the queue marker. (VS Code keeps only the properties package.json declares, so a kind's
 * less common inputs go in `inputs`.)
 */
function inputsOf(definition: AiosTaskDefinition): Record<string, unknown> {
  const { type: _type, kind: _kind, queued: _queued, inputs, ...rest } = definition;
  return { ...(typeof inputs === 'object' && inputs !== null ? (inputs as Record<string, unknown>) : {}), ...rest };
}

/**
 * Tasks of type `aios`: one `run` task per use case in the workspace (Run Task lists them),
 * and any `aios` task written in tasks.json. Each runs through the window's queue in a
 * pseudoterminal (CustomExecution). In a restricted workspace no task is offered, and a
 * task started anyway says why it does not run.
 */
export class AiosTaskProvider implements vscode.TaskProvider {
  /** Test mode only: receives what each task's terminal shows, by task name. */
  transcript: ((taskName: string, text: string) => void) | undefined;

  constructor(private readonly service: TaskService) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted || !this.service.root) return [];
    const files = await vscode.workspace.findFiles('**/*.{usecase.yaml,usecase.yml}', '**/{node_modules,.aios}/**', 200);
    return files
      .map((uri) => this.service.relativePath(uri.fsPath))
      .sort()
      .map((file) => this.task({ type: aiosTaskType, kind: 'run', useCases: [file] }));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    return isAiosTaskDefinition(task.definition) ? this.task(task.definition, task.name, task.scope) : undefined;
  }

  /** A task for the definition; `existing` is a job a command already enqueued, which its terminal follows. */
  task(definition: AiosTaskDefinition, name = taskName(definition), scope: vscode.Task['scope'] = vscode.TaskScope.Workspace, existing?: TrackedJob): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) =>
      new TaskTerminal(
        () => existing ?? this.start(isAiosTaskDefinition(resolved) ? resolved : definition, name),
        this.transcript && ((text) => this.transcript?.(name, text)),
      ),
    );
    const task = new vscode.Task(definition, scope ?? vscode.TaskScope.Workspace, name, aiosTaskType, execution);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true, showReuseMessage: false };
    return task;
  }

  /** Enqueues the definition's job, or says why it cannot. */
  start(definition: AiosTaskDefinition, title: string): TrackedJob | string {
    const refused = refusal(this.service, definition.kind);
    if (refused) return refused;
    try {
      return this.service.enqueue({ kind: definition.kind, inputs: inputsOf(definition) }, title);
    } catch (error) {
      if (error instanceof JobSpecError) return `AIOS: this ${definition.kind} task cannot run: ${error.message}. Fix the task in tasks.json.`;
      return `AIOS: the task could not be queued: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/** `run cockpit/driver-monitoring.usecase.yaml`, or the kind alone. */
export function taskName(definition: AiosTaskDefinition): string {
  const inputs = inputsOf(definition);
  const files = [inputs['useCases'], inputs['usecase'], inputs['input'], inputs['model']].flat().filter((v): v is string => typeof v === 'string');
  return files.length === 0 ? definition.kind : `${definition.kind} ${files.length > 2 ? `${basename(files[0] ?? '')} +${files.length - 1}` : files.join(' ')}`;
}
