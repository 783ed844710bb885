import { controlsButLayout } from '../../src/core/text/terminalText';

/** What is wrong with one command's outcome: the goals of the probe suite, per case. */
export function outputProblems(exitCode: number | null, stdout: string, stderr: string): string[] {
  const problems: string[] = [];
  if (exitCode === null || ![0, 1, 2].includes(exitCode)) problems.push(`exit code ${exitCode}`);
  if (/^ {4}at /m.test(stdout + stderr)) problems.push('stack trace');
  if (/^aios: internal error/m.test(stderr)) problems.push('internal error');
  controlsButLayout.lastIndex = 0;
  if (controlsButLayout.test(stdout + stderr)) problems.push('raw control characters');
  controlsButLayout.lastIndex = 0;
  return problems;
}
