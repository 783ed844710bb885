import * as assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/core/tasks/runRecord';
import { JobKindRegistry } from '../../../src/core/tasks/registry';
import { RunsTreeProvider } from '../../../src/extension/tasks/runsView';
import { TaskService } from '../../../src/extension/tasks/taskService';
import type { EnqueueResult, TasksApi } from '../../../src/extension/tasks/register';
import { jobKinds } from '../../fixtures/tasks/fixtureJobs';
import { testLog } from '../bridge/client';
import { activated, fileUri, writeFile } from './usecaseHelpers';
import { waitUntil } from './util/extension';

/** Resolves when `condition` holds: checked now and on every change the task service reports. */
function whenTasks(tasks: TasksApi, what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve();
    };
    const check = async () => {
      try {
        if (!done && (await condition())) finish();
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const subscription = tasks.service.onDidChange(() => void check());
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting until ${what}; runs: ${JSON.stringify(tasks.service.active().map((r) => [r.id, r.status]))}`)), timeoutMs);
    void check();
  });
}

/** Resolves with the exit code of the task's process (its pseudoterminal's close code). */
function taskEnded(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const subscription = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== name) return;
      subscription.dispose();
      resolve(e.exitCode);
    });
  });
}

/** Job processes forked by this extension host (dist/workers/job.js), by pid. */
function jobProcesses(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('workers/job.js'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** What the task's terminal showed, without colour codes, line by line. */
function transcript(tasks: TasksApi, name: string): string {
  assert.ok(tasks.terminalTranscript, 'terminal transcripts are kept in test mode');
  return tasks.terminalTranscript(name).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

const fixture = (name: string, kind: string, slices: number, sliceMs: number, out?: string) => ({ label: name, type: 'aios', kind, inputs: { slices, sliceMs, ...(out ? { out } : {}) } });

/** tasks.json of the scratch workspace: aios tasks as a user writes them. */
const tasksJson = {
  version: '2.0.0',
  tasks: [
    fixture('long', 'test-slices', 400, 25, 'task-out/long.txt'),
    fixture('second', 'test-slices', 8, 10, 'task-out/second.txt'),
    fixture('third', 'test-slices', 8, 10),
    fixture('crash', 'test-crash', 4, 10, 'task-out/crash.txt'),
    fixture('heavy', 'test-slices', 120, 25),
    { label: 'quantize dms', type: 'aios', kind: 'quantize', useCase: 'cockpit/driver-monitoring.usecase.yaml' },
  ],
};

async function fetchTask(label: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks({ type: 'aios' });
  const task = tasks.find((t) => t.name === label);
  assert.ok(task, `the tasks.json task '${label}' is among the aios tasks: ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

describe('tasks (aios task type, queue, Recent Runs)', function () {
  this.timeout(90_000);
  let tasks: TasksApi;
  const registered: vscode.Disposable[] = [];

  before(async () => {
    const context = await activated();
    tasks = context.tasks;
    assert.ok(tasks.registerJobKind, 'fixture job kinds can be registered only because VS Code runs the extension in test mode (ExtensionMode.Test)');
    for (const kind of jobKinds) registered.push(tasks.registerJobKind(kind));
    await writeFile('.vscode/tasks.json', JSON.stringify(tasksJson, null, 2));
    // VS Code reads tasks.json on a change event of its own; there is no API event for it.
    await waitUntil('VS Code has read .vscode/tasks.json', async () => (await vscode.tasks.fetchTasks({ type: 'aios' })).some((t) => t.name === 'long'), 15_000);
  });

  after(() => {
    for (const d of registered) d.dispose();
  });

  it('offers a run task per use case, and the tasks written in tasks.json', async () => {
    const names = (await vscode.tasks.fetchTasks({ type: 'aios' })).map((t) => t.name);
    assert.ok(names.includes('run cockpit/driver-monitoring.usecase.yaml'), names.join(', '));
    assert.ok(names.includes('long') && names.includes('quantize dms'), names.join(', '));
  });

  it('task queue: three tasks queued, progress shown, the running one cancelled (process gone, no output), the queue goes on, the view updates', async () => {
    const ends = [taskEnded('long'), taskEnded('second'), taskEnded('third')];
    for (const label of ['long', 'second', 'third']) await vscode.tasks.executeTask(await fetchTask(label));
    await whenTasks(tasks, 'three jobs are queued, the first one running with progress, and the status bar says so', () => {
      const active = tasks.service.active();
      const running = active.find((r) => r.status === 'running');
      return active.length === 3 && running !== undefined && (tasks.service.progressOf(running.id)?.fraction ?? 0) > 0 && /\d+% · 2 queued/.test(tasks.statusBar.text ?? '');
    });
    const [long, second, third] = tasks.service.active();
    assert.ok(long && second && third);
    assert.deepEqual([long.status, second.status, third.status], ['running', 'queued', 'queued'], 'heavy jobs run one at a time');
    assert.match(tasks.statusBar.text ?? '', /AIOS fixture 400x25ms \d+% · 2 queued/);
    const rows = await tasks.runsView.refresh();
    assert.match(rows.find((r) => r.id === long.id)?.description ?? '', /^running · \d+% slices/);
    assert.equal(rows.find((r) => r.id === third.id)?.status, 'queued');

    const pids = jobProcesses();
    assert.equal(pids.length, 1, `one job process runs: ${pids.join(', ')}`);
    const cancelledAt = performance.now();
    assert.equal(await vscode.commands.executeCommand('aios.runs.cancel', long.id), true);
    await whenTasks(tasks, 'the job process is gone', () => !pids.some(alive), 5_000);
    const goneMs = performance.now() - cancelledAt;
    await testLog(`tasks: the cancelled job process was gone ${goneMs.toFixed(0)} ms after Cancel`);
    assert.ok(goneMs <= 2_000, `the job process ended within 2 s of Cancel (${goneMs.toFixed(0)} ms)`);

    assert.deepEqual(await Promise.all(ends), [130, 0, 0], 'terminals close with 130 (cancelled), then 0 and 0: the queue went on');
    const longTerminal = transcript(tasks, 'long');
    assert.match(longTerminal, /^aios long\n/, 'the terminal names the task');
    assert.match(longTerminal, /\[#*-*\] +\d+% slices · slice \d+\/400 \(/, 'a progress line: bar, percent, stage, message, elapsed time');
    assert.match(longTerminal, /aios test-slices: cancelled\nstatus +cancelled\n/, `the summary says cancelled:\n${longTerminal}`);
    const secondTerminal = transcript(tasks, 'second');
    assert.match(secondTerminal, /waiting in the queue…/, 'a queued task says it waits');
    assert.match(secondTerminal, /aios test-slices: succeeded\nstatus +succeeded\nduration +\S+ m?s\nrun +\S+\nlog +\S+log\.txt\n(.*\n)*slices +8\n/, `the summary table of a succeeded run:\n${secondTerminal}`);
    const history = await tasks.service.history();
    const status = (id: string) => history.find((r) => r.id === id)?.status;
    assert.deepEqual([status(long.id), status(second.id), status(third.id)], ['cancelled', 'succeeded', 'succeeded']);
    assert.ok(!existsSync(fileUri('task-out/long.txt').fsPath), 'the cancelled job left no output file');
    assert.ok(existsSync(fileUri('task-out/second.txt').fsPath), 'the job that succeeded wrote its output');
    const view = await tasks.runsView.refresh();
    assert.match(view.find((r) => r.id === long.id)?.description ?? '', /^cancelled · /);
    assert.match(view.find((r) => r.id === third.id)?.description ?? '', /^succeeded · \d+(\.\d)? (ms|s) · just now$/);
    assert.equal(tasks.statusBar.text, undefined, 'the status bar item hides when the queue is empty');

    assert.equal(await vscode.commands.executeCommand('aios.runs.delete', long.id), true);
    assert.ok(!(await tasks.runsView.refresh()).some((r) => r.id === long.id), 'a deleted run leaves the view');
    const again = await vscode.commands.executeCommand<EnqueueResult>('aios.runs.rerun', second.id);
    assert.ok(again.available, 'Run Again queues the same job');
    await whenTasks(tasks, 'the re-run ended', async () => (await tasks.service.history()).find((r) => r.id === again.runId)?.status === 'succeeded');
  });

  it('task history survives a window reload (re-read by a fresh service of the same folder)', async () => {
    // Reloading the window would end this test host; a new service reads the same runs folder as a new window would.
    const mine = await tasks.service.history();
    const log = vscode.window.createOutputChannel('AIOS test', { log: true });
    const fresh = new TaskService(new JobKindRegistry(), '/nonexistent/job.js', log);
    const view = new RunsTreeProvider(fresh);
    try {
      const rows = await view.refresh();
      for (const record of mine.filter((r) => r.status !== 'queued' && r.status !== 'running')) {
        assert.equal(rows.find((r) => r.id === record.id)?.status, record.status, `run ${record.id} (${record.command}) is in the fresh view`);
      }
      assert.ok(rows.length >= 3);
    } finally {
      view.dispose();
      fresh.dispose();
      log.dispose();
    }
  });

  it('task that crashes ends failed with its log', async () => {
    const ended = taskEnded('crash');
    await vscode.tasks.executeTask(await fetchTask('crash'));
    assert.equal(await ended, 1, 'its terminal closes with exit code 1');
    assert.match(transcript(tasks, 'crash'), /aios test-crash: failed\nstatus +failed\n(.*\n)*error +\S/, 'its terminal says it failed and why');
    const record = (await tasks.service.history()).find((r) => r.kind === 'test-crash');
    assert.ok(record, 'the crash has a run record');
    assert.equal(record.status, 'failed');
    assert.ok(record.error, 'the record says why it failed');
    const logPath = await vscode.commands.executeCommand<string | undefined>('aios.runs.openLog', record.id);
    assert.equal(logPath, record.log);
    assert.ok(readFileSync(record.log, 'utf8').length > 0, 'the log holds what the job wrote before it died');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, record.log, 'Open Log shows it');
    assert.ok(!existsSync(fileUri('task-out/crash.txt').fsPath), 'no half-written output');
  });

  it('task commands: Run Pipeline runs the real pipeline through the queue; a tasks.json quantize task with wrong inputs says what to fix', async () => {
    const uri = fileUri('cockpit/driver-monitoring.usecase.yaml');
    const result = await vscode.commands.executeCommand<EnqueueResult>('aios.runPipeline', uri);
    assert.ok(result.available, JSON.stringify(result));
    let record: RunRecord | undefined;
    await whenTasks(tasks, 'the pipeline run ended', async () => {
      record = (await tasks.service.history()).find((r) => r.id === result.runId);
      return record !== undefined && ['succeeded', 'failed', 'cancelled'].includes(record.status);
    });
    assert.equal(record?.status, 'succeeded', record?.error);
    const summary = record?.summary as { useCases: Array<{ stages: Array<{ name?: string; stage?: string; status: string }> }> };
    assert.deepEqual(summary.useCases[0]?.stages.slice(0, 2).map((s) => [s.name ?? s.stage, s.status]), [['validate', 'passed'], ['inspect', 'passed']]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await tasks.latestResults.refresh();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    const inline = lenses.find((l) => l.command?.command === 'aios.runs.openResult');
    assert.match(inline?.command?.title ?? '', /^pipeline: validate ✓ {2}inspect ✓ .* \(just now\)$/, 'the newest current result shows inline on the use case');
    assert.deepEqual(inline?.command?.arguments, [result.runId]);

    const before = (await tasks.service.history()).length;
    const ended = taskEnded('quantize dms');
    await vscode.tasks.executeTask(await fetchTask('quantize dms'));
    // The quantize job kind has landed (CLI and pipeline); this task names `useCase` where the kind takes `input`.
    assert.equal(await ended, 2, 'the tasks.json quantize task ends at once with exit code 2');
    assert.match(transcript(tasks, 'quantize dms'), /AIOS: this quantize task cannot run: .*not valid[\s\S]*Fix the task in tasks\.json/, 'and its terminal says why');
    assert.equal((await tasks.service.history()).length, before, 'and records no run');
  });

  it('task running a heavy job keeps the extension host responsive: the work runs in the job process, the host spends a small share of a CPU on it', async () => {
    // monitorEventLoopDelay records the whole timer interval: a value is the sampling period plus the delay.
    const resolutionMs = 5;
    const measure = async (during: Promise<unknown>) => {
      const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
      histogram.enable();
      const cpu = process.cpuUsage();
      const started = performance.now();
      await during;
      const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
      const wallMs = performance.now() - started;
      histogram.disable();
      const ms = (p: number) => Math.max(0, histogram.percentile(p) / 1e6 - resolutionMs);
      return { p50: ms(50), p99: ms(99), max: Math.max(0, histogram.max / 1e6 - resolutionMs), count: histogram.count, cpuMs, wallMs };
    };
    const show = (m: Awaited<ReturnType<typeof measure>>) =>
      `p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms (${m.count} samples); host CPU ${m.cpuMs.toFixed(0)} ms in ${m.wallMs.toFixed(0)} ms`;
    // Baseline in the same window: the same span of time with no job running.
    const idle = await measure(new Promise((resolve) => setTimeout(resolve, 2_000)));
    const ended = taskEnded('heavy');
    await vscode.tasks.executeTask(await fetchTask('heavy'));
    await whenTasks(tasks, 'the heavy job runs', () => tasks.service.active().some((r) => r.status === 'running'));
    const busy = await measure(ended);
    await testLog(`tasks: extension host, idle 2 s: ${show(idle)}; while a heavy job ran (~3 s of CPU in the job process, progress 40/s): ${show(busy)} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    assert.equal(await ended, 0, 'the heavy job succeeded');
    assert.ok(busy.count > 100, `enough samples (${busy.count})`);
    // The event-loop delay target (p99 <= 50 ms) is a figure for `npm run bench -- tasks`, where
    // it is compared with an idle baseline in the same run; here, on a shared machine, a timed
    // bound would fail on other processes' load. What must hold whatever the load: the ~3 s of
    // CPU the job burns are not spent in the extension host (CPU time is not stretched by waiting).
    assert.ok(busy.cpuMs < 0.25 * busy.wallMs, `the extension host used ${busy.cpuMs.toFixed(0)} ms of CPU in the ${busy.wallMs.toFixed(0)} ms the heavy job ran (< 25%)`);
  });
});
