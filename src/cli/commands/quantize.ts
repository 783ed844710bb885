import type { Command } from 'commander';
import { relative } from 'node:path';
import { sqnrBasis } from '../../core/quantize/heldOut';
import { QuantizeInputError, quantizePrecisions, resolveSettings, type QuantizeInputs } from '../../core/quantize/request';
import { int4Methods } from '../../core/usecase/schema';
import { quantizeJobKind } from '../../core/tasks/kinds/quantizeKind';
import { ExitCode, RunCancelled, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { runJobInCli } from '../runJob';
import { parseInputShape } from './modelArgument';
import { inputPathArgument } from './pathArguments';

const help = `
INPUT is a *.usecase.yaml (its quantization and calibration sections give the defaults; flags
override) or an .onnx model. The result is written atomically to <model>.<precision>.onnx
beside the model (--out to choose), and the run is recorded in .aios/runs/.

Calibration data: a folder with one .npy per sample (a model with one input), or one folder per
sample holding <input name>.npy files; or 'synthetic' (seeded standard-normal floats, labelled
as synthetic in every summary). The output SQNR is measured against the fp32 model on the
calibration samples.

Exit codes: 0 written (and the --min-sqnr gate passed); 1 written but the output SQNR is below
the gate; 2 bad input (one line naming the file and the input), nothing written; 130 cancelled.
`;

interface Flags {
  precision?: QuantizeInputs['precision'];
  calibration?: string;
  samples?: string;
  method?: QuantizeInputs['method'];
  weights?: QuantizeInputs['weights'];
  keepFloat?: string[];
  minSqnr?: string;
  blockSize?: string;
  asymmetric?: boolean;
  int4Method?: string;
  autoMixed?: boolean;
  input?: string[];
  out?: string;
  json?: boolean;
}

function number(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && (!Number.isInteger(n) || n < 1))) throw new UsageError(`bad ${flag} '${value}': expected ${integer ? 'a whole number of at least 1' : 'a number'}`);
  return n;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`bad ${flag} '${value}': expected ${allowed.join(', ')}`);
  return value as T;
}

const fmtDb = (db: number | null) => (db === null ? 'exact' : `${db.toFixed(1)} dB`);

export function registerQuantize(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('quantize <input>')
    .description('quantize a use case or a model (int8 QDQ with calibration), written beside the model')
    .option('--precision <precision>', 'int8 | fp16 | int4-weight | mixed (int8 keeping the fewest layers in float that reach --min-sqnr)')
    .option('--calibration <dir>', "folder of .npy samples, or 'synthetic'")
    .option('--samples <n>', 'calibration samples to use')
    .option('--method <method>', 'minmax | percentile | entropy')
    .option('--weights <granularity>', 'per-channel | per-tensor')
    .option('--keep-float <glob>', 'node-name glob left in float (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--min-sqnr <db>', 'gate: minimum output SQNR in dB (exit 1 below it)')
    .option('--block-size <n>', 'int4-weight: 32 | 64 | 128 weights per block along K (default 32)')
    .option('--asymmetric', 'int4-weight: a zero point per block')
    .option('--int4-method <method>', 'int4-weight: rtn (round to nearest) | gptq (fitted to the calibration data; the default with a --calibration folder)')
    .option('--auto-mixed', 'int8 or int4-weight: keep the fewest layers in float that reach --min-sqnr (by measured sensitivity)')
    .option('--input <name=dims>', 'size of an input with dynamic dims (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--out <file>', 'output ONNX file')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (input: string, flags: Flags) => {
      inputPathArgument(io, input);
      const inputs: QuantizeInputs = {
        input,
        ...(flags.precision !== undefined ? { precision: oneOf('--precision', flags.precision, quantizePrecisions) } : {}),
        ...(flags.calibration !== undefined ? { calibration: flags.calibration } : {}),
        ...(flags.samples !== undefined ? { samples: number('--samples', flags.samples, true) } : {}),
        ...(flags.method !== undefined ? { method: oneOf('--method', flags.method, ['minmax', 'percentile', 'entropy'] as const) } : {}),
        ...(flags.weights !== undefined ? { weights: oneOf('--weights', flags.weights, ['per-channel', 'per-tensor'] as const) } : {}),
        ...(flags.keepFloat !== undefined ? { keepFloat: flags.keepFloat } : {}),
        ...(flags.minSqnr !== undefined ? { minSqnrDb: number('--min-sqnr', flags.minSqnr, false) } : {}),
        ...(flags.blockSize !== undefined ? { blockSize: Number(oneOf('--block-size', flags.blockSize, ['32', '64', '128'] as const)) as 32 | 64 | 128 } : {}),
        ...(flags.asymmetric ? { symmetric: false } : {}),
        ...(flags.int4Method !== undefined ? { int4Method: oneOf('--int4-method', flags.int4Method, int4Methods) } : {}),
        ...(flags.autoMixed ? { autoMixed: true } : {}),
        ...(flags.input !== undefined ? { inputShapes: Object.fromEntries(flags.input.map(parseInputShape)) } : {}),
        ...(flags.out !== undefined ? { out: flags.out } : {}),
      };
      try {
        resolveSettings(inputs, io.cwd);
      } catch (e) {
        if (e instanceof QuantizeInputError) throw new UsageError(e.message);
        throw e;
      }
      let result;
      try {
        result = await runJobInCli(io, quantizeJobKind, inputs);
      } catch (e) {
        // A failed quantize run is bad input (its message names the file and the input); internal errors say so in the log.
        if (e instanceof RunCancelled || !(e instanceof Error)) throw e;
        throw new UsageError(e.message.replace(/^the quantize run failed: /, ''));
      }
      const { summary: s, record } = result;
      const gateFailed = s.gatePassed === false;
      setExitCode(gateFailed ? ExitCode.checkFailed : ExitCode.ok);
      const output = relative(io.cwd, s.output);
      if (flags.json) {
        printJson(io, { ...s, output, model: relative(io.cwd, s.model), ...(s.useCase ? { useCase: relative(io.cwd, s.useCase) } : {}), runId: record.id });
        return;
      }
      const rows: string[][] = [
        ['output', output],
        ['precision', s.precision],
        ['nodes quantized', String(s.nodesQuantized)],
        ['nodes kept float', String(s.nodesKeptFloat)],
        ['size', `${(s.sizeBefore / 2 ** 20).toFixed(2)} MiB -> ${(s.sizeAfter / 2 ** 20).toFixed(2)} MiB`],
        ['calibration', `${(s.calibration.calibrated ?? 0) > 0 && s.calibration.calibrated! < s.calibration.samples ? `${s.calibration.calibrated} of ` : ''}${s.calibration.samples} ${s.calibration.synthetic ? 'SYNTHETIC samples' : `samples from ${relative(io.cwd, s.calibration.data)}`}, ${s.calibration.method}`],
        ['output SQNR', `${fmtDb(s.outputSqnrDb)} ${sqnrBasis(s.calibration)}${s.minSqnrDb !== undefined ? ` (gate ${s.minSqnrDb} dB: ${gateFailed ? 'FAILED' : 'passed'})` : ''}`],
      ];
      io.stdout.write(formatTable(['', ''], rows));
      if (s.outputs.length > 1) io.stdout.write(formatTable(['output', 'SQNR'], s.outputs.map((o) => [o.name, fmtDb(o.sqnrDb)])));
      if (s.mixed) {
        const kept = s.mixed.layers.filter((l) => l.kept);
        io.stdout.write(`Mixed precision: all-int8 output SQNR ${fmtDb(s.mixed.allInt8SqnrDb)}; ${kept.length === 0 ? 'no layer kept in float' : `kept in float: ${kept.map((l) => `${l.node} (${fmtDb(l.onlyQuantizedSqnrDb)} as the only layer quantized, +${fmtDb(l.gainDb ?? null)} in float)`).join(', ')}`}\n`);
      }
      const kept = s.keptFloat.filter((k) => k.reason !== 'keepFloat' && !k.reason.startsWith('auto mixed precision'));
      if (kept.length > 0) {
        const byOp = new Map<string, number>();
        for (const k of kept) byOp.set(`${k.op} (${k.reason})`, (byOp.get(`${k.op} (${k.reason})`) ?? 0) + 1);
        io.stdout.write(`Kept in float: ${[...byOp].map(([op, n]) => `${n} ${op}`).join(', ')}\n`);
      }
      for (const note of s.notes) io.stdout.write(`Note: ${note}\n`);
      io.stdout.write(`Run ${record.id} (log: ${relative(io.cwd, record.log)})\n`);
    });
}
