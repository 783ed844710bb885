import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { prepareReplay, ReplayInputError } from '../../core/replay/replay';
import type { ReplayResult } from '../../core/replay/result';
import { formatQuantity } from '../../core/quantity/quantity';
import { replayJobKind } from '../../core/tasks/kinds/replayKind';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { runJobInCli } from '../runJob';

const replayHelp = `
The model runs over the recorded samples in name order (one .npy per sample, or one folder per
sample with <input name>.npy files), one sample every 1/rate seconds. The rate is --rate, else
the use case's dataLoop.sampleRate, else its highest targets[].budgets.fps, else 1.
A trigger fires when its condition turns true; a firing starts a capture unless one of the same
trigger is running. Per day means dataLoop.hoursPerDay hours of operation (default 1); a
capture uploads the model's inputs for its length at the sample rate, at most maxPerDay a day.
Exit codes: 0 every trigger within its maxPerDay; 1 a trigger would capture more; 2 bad input.
`;

function positive(name: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${name} must be a positive number (got '${text}')`);
    return n;
  };
}

function humanReport(io: CliIo, r: ReplayResult): void {
  io.stdout.write(`${r.useCase}: ${r.samples} samples from ${relative(io.cwd, r.data) || '.'}, ${r.rate}/s (${r.rateFrom}) = ${formatQuantity('time', r.durationSeconds)}; ${r.hoursPerDay} h of operation per day\n\n`);
  io.stdout.write(
    formatTable(
      ['trigger', 'fired', 'per hour', 'captures/day', 'max/day', 'uplink/day', ''],
      r.triggers.map((t) => [t.when, String(t.fired), t.perHour.toFixed(1), t.capturesPerDay.toFixed(1), String(t.maxPerDay), formatQuantity('memory', t.uplinkBytesPerDay), t.withinMaxPerDay ? 'ok' : 'over maxPerDay']),
    ),
  );
  io.stdout.write(`\nCaptures per day: ${r.capturesPerDay.toFixed(1)} (capped at maxPerDay), uplink ${formatQuantity('memory', r.uplinkBytesPerDay)} per day.\n`);
  if (!r.withinMaxPerDay) io.stdout.write('A trigger fires more often than its maxPerDay allows: tighten its condition or raise maxPerDay.\n');
}

export function registerReplay(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('replay <usecase>')
    .description('run the model over recorded inputs and evaluate the dataLoop triggers (recorded in .aios/runs/)')
    .option('--data <dir>', 'folder of recorded .npy inputs, in time order (default: dataLoop.data)')
    .option('--rate <hz>', 'samples per second of the recording (default: dataLoop.sampleRate)', positive('--rate'))
    .option('--hours-per-day <hours>', 'hours of operation per vehicle and day (default: dataLoop.hoursPerDay, else 1)', positive('--hours-per-day'))
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', replayHelp)
    .action(async (useCase: string, options: { data?: string; rate?: number; hoursPerDay?: number; json?: boolean }) => {
      const inputs = {
        useCase: resolve(io.cwd, useCase),
        ...(options.data !== undefined ? { data: resolve(io.cwd, options.data) } : {}),
        ...(options.rate !== undefined ? { rate: options.rate } : {}),
        ...(options.hoursPerDay !== undefined ? { hoursPerDay: options.hoursPerDay } : {}),
      };
      // Bad input is found here, in one line with exit 2, before a job process starts.
      let data: string;
      try {
        ({ data } = await prepareReplay({ useCaseFile: inputs.useCase, ...(inputs.data !== undefined ? { data: inputs.data } : {}), ...(inputs.rate !== undefined ? { rate: inputs.rate } : {}), ...(inputs.hoursPerDay !== undefined ? { hoursPerDay: inputs.hoursPerDay } : {}) }));
      } catch (e) {
        if (e instanceof ReplayInputError) throw new UsageError(e.message);
        throw e;
      }
      const { summary, record } = await runJobInCli(io, replayJobKind, { ...inputs, data });
      if (options.json) printJson(io, { ...summary, data: relative(io.cwd, summary.data) || '.', runId: record.id });
      else {
        humanReport(io, summary);
        io.stdout.write(`Run ${record.id} (log: ${relative(io.cwd, record.log)})\n`);
      }
      setExitCode(summary.withinMaxPerDay ? ExitCode.ok : ExitCode.checkFailed);
    });
}
