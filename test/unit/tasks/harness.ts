import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTaskQueue } from '../../../src/core/tasks/createTaskQueue';
import type { TaskEvent, TaskQueue, TaskQueueOptions } from '../../../src/core/tasks/taskQueue';
import { JobKindRegistry } from '../../../src/core/tasks/registry';
import { builtinJobKinds } from '../../../src/core/tasks/kinds/builtinJobKinds';
import { jobKinds } from '../../fixtures/tasks/fixtureJobs';

export const repo = join(__dirname, '..', '..', '..', '..');
export const jobWorker = join(repo, 'dist', 'workers', 'job.js');
/** The transpiled second-writer script (see test/fixtures/tasks/writerProcess.ts). */
export const writerProcess = join(repo, 'out', 'test', 'fixtures', 'tasks', 'writerProcess.js');

export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `aios-${prefix}-`));
}

/** A queue with the built-in and the fixture kinds, its runs folder and working folder in a fresh temp dir. */
export function fixtureQueue(options: Partial<TaskQueueOptions> = {}): { queue: TaskQueue; dir: string; runsDir: string } {
  const dir = scratch('tasks');
  const runsDir = join(dir, '.aios', 'runs');
  const queue = createTaskQueue({
    workerPath: jobWorker,
    registry: new JobKindRegistry([...builtinJobKinds(), ...jobKinds]),
    runsDir,
    cwd: dir,
    ...options,
  });
  return { queue, dir, runsDir };
}

/** Resolves with the first event of the queue that matches. */
export function nextEvent<T extends TaskEvent>(queue: TaskQueue, matches: (event: TaskEvent) => event is T): Promise<T>;
export function nextEvent(queue: TaskQueue, matches: (event: TaskEvent) => boolean): Promise<TaskEvent>;
export function nextEvent(queue: TaskQueue, matches: (event: TaskEvent) => boolean): Promise<TaskEvent> {
  return new Promise((resolve) => {
    const subscription = queue.onDidChange((event) => {
      if (!matches(event)) return;
      subscription.dispose();
      resolve(event);
    });
  });
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every file below `dir` (relative), to show that nothing (not even a temp file) was left. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

export function pidInLog(log: string): number {
  const match = /job process pid (\d+)/.exec(log);
  if (!match) throw new Error(`no job process pid in the log:\n${log}`);
  return Number(match[1]);
}

/** Pids of this process's children that run the job worker (from /proc: Linux). */
export function jobWorkerChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('workers/job.js')) pids.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
