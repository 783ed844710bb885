import type { Command } from 'commander';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { overallStatus, type UseCaseRun } from '../../core/pipeline/pipeline';
import { runJobKind } from '../../core/tasks/kinds/runKind';
import { useCaseSuffixes } from '../../core/workspace/findFiles';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, printLines, type CliIo } from '../io';
import { runJobInCli } from '../runJob';
import { filesUnderArguments } from './pathArguments';

type RunOutcome = Pick<UseCaseRun, 'status'> & { readonly stages: ReadonlyArray<{ readonly name: string; readonly status: string }> };

function summaryLine(runs: readonly RunOutcome[]): string {
  const status = overallStatus(runs);
  if (status === 'passed') return 'Every stage passed.';
  if (status === 'failed') return `Failed: ${runs.filter((r) => r.status === 'failed').length} of ${runs.length} use cases.`;
  const unavailable = new Set(runs.flatMap((r) => r.stages.filter((s) => s.status === 'unavailable').map((s) => s.name)));
  const missing = unavailable.size > 0 ? `not available yet in this version: ${[...unavailable].join(', ')}` : 'some stages did not run';
  return `Incomplete (exit 1): nothing failed, but the pipeline is not passed: ${missing}.`;
}

/**
 * `aios run`: exit 0 only when every stage of every use case passed; 1 when a stage failed or
 * could not run (unavailable), because then the pipeline did not check what it promises.
 * The pipeline runs as a task (a job process, a run record in .aios/runs; Ctrl-C cancels it).
 */
export function registerRun(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('run [usecases...]')
    .description('the whole pipeline per use case: validate, inspect, quantize, profile, release (local); recorded in .aios/runs/')
    .option('--report <dir>', 'folder of the HTML report (index.html)', 'reports')
    .option('--json', 'print one JSON document on stdout')
    .action(async (paths: string[], options: { json?: boolean; report: string }) => {
      const { roots, files } = await filesUnderArguments(io, paths, useCaseSuffixes);
      if (files.length === 0) throw new UsageError(`no *.usecase.yaml found under ${roots.join(', ')}`);
      const report = join(resolve(io.cwd, options.report), 'index.html');
      const { summary, record } = await runJobInCli(io, runJobKind, { useCases: files, report });
      const runs = summary.useCases;
      const status = overallStatus(runs);
      if (options.json) {
        printJson(io, {
          useCases: runs.map((r) => ({ ...r, file: relative(io.cwd, r.file) })),
          status,
          passed: status === 'passed',
          report: relative(io.cwd, report),
          runId: record.id,
        });
      } else {
        const stageNames = runs[0]?.stages.map((s) => s.name) ?? [];
        io.stdout.write(
          formatTable(
            ['use case', 'status', ...stageNames],
            runs.map((r) => [relative(io.cwd, r.file), r.status, ...r.stages.map((s) => s.status)]),
          ),
        );
        printLines(io.stdout, ['', summaryLine(runs), `Report: ${shownPath(io.cwd, report)}`, `Run ${record.id} (log: ${relative(io.cwd, record.log)})`]);
      }
      setExitCode(status === 'passed' ? ExitCode.ok : ExitCode.checkFailed);
    });
}

/** A path relative to the current folder when it lies inside it, else absolute (never `../../x`). */
function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
