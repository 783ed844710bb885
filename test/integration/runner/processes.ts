import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Print the child's output live (apt-get) instead of keeping it for errors only. */
  readonly stream?: boolean;
  readonly signal?: AbortSignal;
}

/** Runs a command to completion; resolves with its exit code and combined output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (options.stream) process.stdout.write(chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const onAbort = (): void => killGroup(child, 'SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** Like `run`, but a non-zero exit is an error that carries the tail of the output. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${tail(result.output, 40)}`);
  }
  return result.output;
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A long-running child in its own process group, so stopping it also ends its descendants. */
export class BackgroundProcess {
  private output = '';
  private readonly exited: Promise<number>;
  private readonly listeners: Array<(chunk: string) => void> = [];

  constructor(readonly label: string, command: string, args: readonly string[], options: SpawnOptions) {
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString();
      this.output += text;
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
      for (const listener of this.listeners) listener(text);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.output += `\n${error.message}`;
        resolve(127);
      });
      this.child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  }

  readonly child: ChildProcess;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves with the exit code whenever the process ends. */
  get exit(): Promise<number> {
    return this.exited;
  }

  /** Resolves when `pattern` shows up in the output; rejects if the process ends first. */
  waitForOutput(pattern: RegExp, signal: AbortSignal): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = this.output.match(pattern);
        if (match) resolve(match);
        return match !== null;
      };
      if (check()) return;
      this.listeners.push(() => void check());
      void this.exited.then((code) =>
        reject(new Error(`${this.label} exited with ${code} before printing ${pattern}:\n${tail(this.output, 30)}`)),
      );
      signal.addEventListener('abort', () => reject(new Error(`${this.label} did not print ${pattern} in time:\n${tail(this.output, 30)}`)), {
        once: true,
      });
    });
  }

  /** SIGTERM to the whole group, SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      killGroup(this.child, 'SIGKILL'); // descendants may outlive the leader
      return;
    }
    killGroup(this.child, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    killGroup(this.child, 'SIGKILL');
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
