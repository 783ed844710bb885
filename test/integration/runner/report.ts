import type { TestEvent } from '../bridge/protocol';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const green = paint('32');
export const red = paint('31');
export const dim = paint('2');
export const bold = paint('1');

/** Counts results across sessions and prints them as they stream in. */
export class Report {
  passed = 0;
  failed = 0;
  pending = 0;
  readonly failures: string[] = [];
  readonly versions: string[] = [];
  private session = '';
  /** Per-session: whether mocha reported its end, and how many failures it reported. */
  sawEnd = false;
  sessionFailures = 0;
  private testsStarted = false;
  /** The test that began and has not reported back: the suspect when a session hangs. */
  running: string | undefined;

  startSession(label: string): void {
    this.session = label;
    this.testsStarted = false;
    this.running = undefined;
    this.sawEnd = false;
    this.sessionFailures = 0;
    console.log(`\n${bold(`── ${label} ──`)}`);
  }

  info(line: string): void {
    console.log(line);
  }

  /** A failure outside mocha: setup, a hung or crashed session. Counted like a failed test. */
  setupFailure(title: string, message: string): void {
    this.failed++;
    this.sessionFailures++;
    this.failures.push(`[${this.session || 'setup'}] ${title}\n${indent(message)}`);
    console.log(`  ${red('✗')} ${title}\n${red(indent(message))}`);
  }

  onTestEvent(event: TestEvent): void {
    switch (event.kind) {
      case 'hello':
        this.testsStarted = true;
        this.versions.push(`${event.session}: ${event.appName} ${event.vscodeVersion}`);
        console.log(`  ${dim(`running inside ${event.appName} — VS Code ${event.vscodeVersion} (vscode.version in the extension host)`)}`);
        return;
      case 'begin':
        this.running = event.title;
        return;
      case 'pass':
        this.running = undefined;
        this.passed++;
        console.log(`  ${green('✓')} ${event.title} ${dim(`(${Math.round(event.durationMs)} ms)`)}`);
        return;
      case 'fail':
        this.running = undefined;
        this.failed++;
        this.sessionFailures++;
        this.failures.push(`[${this.session}] ${event.title}\n${indent(event.error)}`);
        console.log(`  ${red('✗')} ${event.title}\n${red(indent(event.error))}`);
        return;
      case 'pending':
        this.pending++;
        console.log(`  ${dim(`- ${event.title} (pending)`)}`);
        return;
      case 'log':
        this.printHostLine(event.level, event.text);
        return;
      case 'end':
        this.sawEnd = true;
        return;
    }
  }

  /** Extension-host console output, forwarded by the workbench through codeAutomationLog. */
  onAutomationLog(type: string, args: unknown[]): void {
    if (process.env.AIOS_IT_DEBUG) console.log(dim(`[${type}] ${safeJson(args)}`));
    const text = formatLogArgs(args);
    if (!text || isNoise(text)) return;
    // Before the tests module says hello, the log is the workbench starting up: errors only.
    if (!this.testsStarted && type !== 'error') return;
    this.printHostLine(type, text);
  }

  private printHostLine(type: string, text: string): void {
    const line = `    ${dim('│')} ${text.replace(/\n/g, `\n    ${dim('│')} `)}`;
    console.log(type === 'error' ? red(line) : line);
  }

  printSummary(): void {
    if (this.failures.length > 0) {
      console.log(`\n${bold('Failures:')}`);
      this.failures.forEach((f, i) => console.log(`${i + 1}) ${f}`));
    }
    if (this.pending > 0) console.log(`${this.pending} pending`);
    console.log(`\n${this.passed} passed, ${this.failed} failed`);
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** Joins console arguments the way a terminal would, dropping `%c` CSS styling. */
export function formatLogArgs(args: unknown[]): string {
  const parts: string[] = [];
  let cssToSkip = 0;
  for (const arg of args) {
    if (cssToSkip > 0 && typeof arg === 'string') {
      cssToSkip--;
      continue;
    }
    if (typeof arg === 'string') {
      cssToSkip = (arg.match(/%c/g) ?? []).length;
      parts.push(arg.replace(/%c/g, ''));
    } else {
      parts.push(typeof arg === 'object' ? safeJson(arg) : String(arg));
    }
  }
  return parts.join(' ').trim();
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Known harmless messages of an offline code-server (see the environment notes). */
function isNoise(text: string): boolean {
  return /vsda|marketplace|gallery|open-vsx|Failed to load resource|update check|telemetry|\[Violation\]/i.test(text);
}
