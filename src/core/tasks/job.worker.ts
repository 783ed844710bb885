import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CredentialStore, RegistryCredentials } from '../registry/credentials/credentials';
import type { JobContext } from './jobKind';
import type { JobMessage, JobRequest } from './jobProtocol';
import { builtinJobKinds } from './kinds/builtinJobKinds';
import type { AnyJobKind } from './registry';

/**
 * The job process (dist/workers/job.js), forked by the task queue for every job: loads the
 * job's kind, runs it with an AbortSignal and reports over IPC. The queue owns the run record
 * and the outputs; this process only writes temp files, which the queue renames on success.
 */
if (!process.send) throw new Error('job.worker must be started by the task queue (child_process.fork)');
const controller = new AbortController();
let started = false;

function send(message: JobMessage, then?: () => void): void {
  if (!process.connected) return then?.();
  process.send?.(message, undefined, {}, () => then?.());
}

// Ctrl-C in a terminal reaches the whole process group: the queue decides what a cancel means.
process.on('SIGINT', () => undefined);
// The queue's process is gone (window closed, CLI killed): stop, and do not outlive it for long.
process.on('disconnect', () => {
  controller.abort(new Error('the process that started the job ended'));
  for (const answer of credentialAnswers.values()) answer(undefined);
  credentialAnswers.clear();
  setTimeout(() => process.exit(1), 1_500).unref();
});

/** Questions for credentials waiting for the queue's answer, by request id. */
const credentialAnswers = new Map<number, (credentials: RegistryCredentials | undefined) => void>();
let nextRequestId = 1;

/** Credentials from the queue's store (the editor's SecretStorage), asked over IPC. */
const queueCredentials: CredentialStore = {
  description: 'the credentials stored in the editor (AIOS: Set Registry Credentials)',
  get: (host) =>
    new Promise((resolve) => {
      if (!process.connected) return resolve(undefined);
      const requestId = nextRequestId++;
      credentialAnswers.set(requestId, resolve);
      send({ type: 'credentials', requestId, host });
    }),
};

process.on('message', (request: JobRequest) => {
  if (request.type === 'cancel') controller.abort(new Error(request.reason));
  else if (request.type === 'credentials') {
    credentialAnswers.get(request.requestId)?.(request.credentials);
    credentialAnswers.delete(request.requestId);
  }
  else if (!started) {
    started = true;
    void run(request);
  }
});

function loadKind(request: Extract<JobRequest, { type: 'start' }>): AnyJobKind {
  const kinds = request.module ? kindsOfModule(request.module) : builtinJobKinds();
  const kind = kinds.find((k) => k.kind === request.kind);
  if (!kind) throw new Error(`the job worker has no job kind '${request.kind}'${request.module ? ` in ${request.module}` : ''}`);
  return kind;
}

/** A kind module exports `jobKind`, or `jobKinds` when it holds several. */
function kindsOfModule(path: string): readonly AnyJobKind[] {
  const exported = createRequire(path)(path) as { jobKind?: AnyJobKind; jobKinds?: readonly AnyJobKind[] };
  return [...(exported.jobKinds ?? []), ...(exported.jobKind ? [exported.jobKind] : [])];
}

async function run(request: Extract<JobRequest, { type: 'start' }>): Promise<void> {
  const temps = new Map(request.outputs.map((o) => [o.path, o.temp]));
  // Folders output() created for temp files: removed again, when left empty, if the job does not succeed.
  const createdFolders: string[] = [];
  const removeTemps = () => {
    for (const temp of temps.values()) rmSync(temp, { force: true });
    for (const folder of createdFolders.reverse()) removeEmptyFolders(folder);
  };
  try {
    // A spare process was started before its job was known, in the queue's folder.
    process.chdir(request.cwd);
    const kind = loadKind(request);
    const inputs: unknown = kind.inputs.parse(request.inputs);
    const context: JobContext = {
      signal: controller.signal,
      runId: request.runId,
      cwd: request.cwd,
      credentials: queueCredentials,
      progress: (progress) => send({ type: 'progress', progress }),
      log: (line) => send({ type: 'log', line }),
      output: (path) => {
        const temp = temps.get(path);
        if (temp === undefined) throw new Error(`the job tried to write ${path}, which its kind does not declare in outputFiles`);
        const created = mkdirSync(dirname(temp), { recursive: true });
        if (created !== undefined) createdFolders.push(created);
        return temp;
      },
    };
    send({ type: 'started' });
    const summary: unknown = await kind.execute(inputs, context);
    controller.signal.throwIfAborted();
    const written = [...temps].filter(([, temp]) => existsSync(temp)).map(([path]) => path);
    send({ type: 'done', summary, written }, () => process.exit(0));
  } catch (error) {
    removeTemps();
    const cancelled = controller.signal.aborted;
    if (!cancelled && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    const message = cancelled ? reasonOf(controller.signal.reason) : error instanceof Error ? error.message : String(error);
    send({ type: 'failed', error: message, cancelled }, () => process.exit(cancelled ? 0 : 1));
  }
}

/** Removes `folder` and the folders under it when none of them holds a file. */
function removeEmptyFolders(folder: string): void {
  try {
    for (const entry of readdirSync(folder, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyFolders(join(folder, entry.name));
    rmdirSync(folder);
  } catch {
    // Not empty, or gone already: leave it.
  }
}

function reasonOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
