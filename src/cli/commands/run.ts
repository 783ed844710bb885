import type { Command } from 'commander';
import { relative } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { useCaseSuffixes } from '../../core/workspace/findFiles';
import { runPipeline } from '../../core/pipeline/pipeline';
import { pipelineStages } from '../../core/pipeline/stages';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { filesUnderArguments } from './pathArguments';

export function registerRun(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('run [usecases...]')
    .description('the whole pipeline per use case: validate, inspect, quantize, profile, release (local)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { roots, files } = await filesUnderArguments(io, paths, useCaseSuffixes);
      if (files.length === 0) throw new UsageError(`no *.usecase.yaml found under ${roots.join(', ')}`);
      const runs = await runPipeline(files, pipelineStages(), nodeFileSystem);
      const failed = runs.some((r) => r.stages.some((s) => s.status === 'failed'));
      if (options.json) {
        printJson(io, { useCases: runs.map((r) => ({ ...r, file: relative(io.cwd, r.file) })), passed: !failed });
      } else {
        const stageNames = runs[0]?.stages.map((s) => s.stage) ?? [];
        io.stdout.write(
          formatTable(
            ['use case', ...stageNames],
            runs.map((r) => [relative(io.cwd, r.file), ...r.stages.map((s) => s.status)]),
          ),
        );
        const unavailable = new Set(runs.flatMap((r) => r.stages.filter((s) => s.status === 'unavailable').map((s) => s.stage)));
        if (unavailable.size > 0) io.stdout.write(`\nNot available yet in this version: ${[...unavailable].join(', ')}.\n`);
      }
      setExitCode(failed ? ExitCode.checkFailed : ExitCode.ok);
    });
}
