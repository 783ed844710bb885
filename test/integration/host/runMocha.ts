import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { bridgeAvailable, callBridge } from '../bridge/client';
import type { TestEvent } from '../bridge/protocol';

const consoleError = console.error.bind(console);

/** Runs before every other file: it needs a window in which nothing has activated the extension yet. */
const first = 'activation.test.js';

function testFiles(dir: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(dir).sort((a, b) => Number(b === first) - Number(a === first) || a.localeCompare(b));
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

/**
 * Runs mocha over `dir` inside the extension host. Every result goes to the runner over the
 * bridge (that is what the terminal shows and counts); without a bridge, failures go to the console.
 * Resolves when all tests passed, rejects otherwise: VS Code turns that into the exit code.
 */
export async function runMochaInHost(session: string, dir: string): Promise<void> {
  const files = testFiles(dir);
  if (files.length === 0) throw new Error(`no *.test.js files under ${dir}: build first (node esbuild.mjs)`);

  let sending: Promise<unknown> = Promise.resolve();
  const send = (event: TestEvent): void => {
    if (!bridgeAvailable()) return;
    sending = sending.then(() => callBridge('testEvent', { event })).catch((error: unknown) => consoleError(`could not report to the runner: ${String(error)}`));
  };
  send({ kind: 'hello', session, vscodeVersion: vscode.version, appName: vscode.env.appName });

  try {
    await runFiles(files, send);
  } finally {
    await sending;
  }
}

async function runFiles(files: readonly string[], send: (event: TestEvent) => void): Promise<void> {
  // AIOS_IT_GREP (set for the runner, inherited through code-server): run only the matching tests.
  const grep = process.env.AIOS_IT_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base, ...(grep ? { grep } : {}) });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();

  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((count) => resolve(count));
    const stats = { passed: 0, failed: 0, pending: 0 };
    runner.on('test', (test) => send({ kind: 'begin', title: test.fullTitle() }));
    runner.on('pass', (test) => {
      stats.passed++;
      send({ kind: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
    });
    runner.on('fail', (test, error: unknown) => {
      stats.failed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (!bridgeAvailable()) console.error(`FAIL ${test.fullTitle()}: ${message}`);
      send({ kind: 'fail', title: test.fullTitle(), durationMs: test.duration ?? 0, error: message });
    });
    runner.on('pending', (test) => {
      stats.pending++;
      send({ kind: 'pending', title: test.fullTitle() });
    });
    runner.on('end', () => send({ kind: 'end', ...stats }));
  });
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
