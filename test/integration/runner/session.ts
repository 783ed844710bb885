import { chromium, type Browser } from 'playwright-core';
import type { BridgeServer } from './bridgeServer';
import { startCodeServer, type CodeServerDirs, type CodeServerInstall, type RunningCodeServer } from './codeServer';
import { tail } from './processes';
import type { Report } from './report';

export const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface SessionSpec {
  readonly label: string;
  readonly install: CodeServerInstall;
  readonly dirs: CodeServerDirs;
  /** Absolute path of the folder VS Code opens. */
  readonly workspace: string;
  /** Absolute path of the extension loaded in development mode. */
  readonly developmentPath: string;
  /** Absolute path of the tests module whose `run()` VS Code calls. */
  readonly testsPath: string;
  /** Extra environment for code-server, inherited by its extension host. */
  readonly env: Record<string, string>;
  readonly timeoutMs: number;
  /** VS Code's workspace trust on (the folder then opens untrusted); off by default. */
  readonly workspaceTrust?: boolean;
}

export type SessionOutcome =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'timeout'; readonly phase: string }
  | { readonly kind: 'crashed'; readonly message: string };

/**
 * One VS Code window: code-server plus a headless Chromium page on it, with the tests module
 * running in the extension host. Always tears both down, whatever happens.
 */
export async function runSession(spec: SessionSpec, bridge: BridgeServer, report: Report, abort: AbortSignal): Promise<SessionOutcome> {
  // A plain timer, not AbortSignal.timeout: combined with AbortSignal.any on Node 20 it can be
  // garbage-collected and never fire, which is exactly the hang this deadline guards against.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeoutMs);
  const onAbort = (): void => controller.abort();
  abort.addEventListener('abort', onAbort, { once: true });
  const deadline = controller.signal;
  let phase = 'starting code-server';
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer(spec.install, spec.dirs, spec.env, deadline, spec.workspaceTrust);
    phase = 'launching Chromium';
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60_000 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let exitWith: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exitWith = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => report.onAutomationLog(type, Array.isArray(args) ? args : [args]));
    await page.exposeFunction('codeAutomationExit', (code: number) => exitWith(code));
    bridge.attach(page);

    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server?.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(spec.developmentPath)],
      ['extensionTestsPath', remote(spec.testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `${server.origin}/?folder=${encodeURIComponent(spec.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    phase = 'loading the workbench';
    await page.goto(url, { timeout: 60_000 });
    phase = 'running the tests inside VS Code';

    const stopped = new Promise<SessionOutcome>((resolve) => {
      page.on('crash', () => resolve({ kind: 'crashed', message: 'the Chromium page crashed' }));
      browser?.on('disconnected', () => resolve({ kind: 'crashed', message: 'Chromium exited' }));
      void server?.process.exit.then((code) =>
        resolve({ kind: 'crashed', message: `code-server exited with ${code}:\n${tail(server?.process.log ?? '', 30)}` }),
      );
      deadline.addEventListener('abort', () => resolve({ kind: 'timeout', phase }), { once: true });
    });
    return await Promise.race([exited.then((code): SessionOutcome => ({ kind: 'exited', code })), stopped]);
  } catch (error) {
    if (deadline.aborted) return { kind: 'timeout', phase };
    return { kind: 'crashed', message: `${phase}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
    abort.removeEventListener('abort', onAbort);
    bridge.attach(undefined);
    await browser?.close().catch(() => undefined);
    await server?.process.stop();
  }
}
