import type { Command } from 'commander';
import { existsSync, promises as fsp } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { QuantDiffSummary } from '../../protocol/quantdiffReport';
import { quantdiffJobKind } from '../../core/tasks/kinds/quantdiffKind';
import { ExitCode, RunCancelled, UsageError } from '../errors';
import { formatTable, printJson, type CliIo } from '../io';
import { runJobInCli } from '../runJob';
import { openModelArgument, parseInputShape } from './modelArgument';

const help = `
Runs both models in onnxruntime-node on the same inputs, sample by sample, and compares every
float tensor of FP32 with its counterpart in QUANT (same name; else the output of the node of
the same name; the value after a QuantizeLinear/DequantizeLinear pair where there is one;
integer outputs of QLinear* ops dequantized with their scale and zero point).
SQNR is pooled over samples: total signal energy / total error energy, in dB (null: no error).

--data DIR holds one .npy per sample (a single-input model) or one folder per sample with
<input name>.npy files. Without --data the inputs are synthetic (seeded, mean 0, std 1) and
every figure says so. The run is recorded in .aios/runs/ (Ctrl-C cancels it).
`;

const dB = (v: number | null) => (v === null ? 'exact' : v.toFixed(1));

export function registerQuantdiff(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('quantdiff <fp32> <quant>')
    .description('per-tensor comparison of a float and a quantized model run on the same inputs')
    .option('--data <dir>', "folder of .npy input samples, or 'synthetic'", 'synthetic')
    .option('--samples <n>', 'use at most N samples (synthetic: how many, default 8)')
    .option('--input <name=dims>', 'sizes of dynamic input dims, e.g. image=1,3,512,512 (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--html <out>', 'also write the diff as one self-contained HTML page')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (fp32: string, quant: string, options: { data: string; samples?: string; input: string[]; html?: string; json?: boolean }) => {
      await openModelArgument(io, fp32);
      await openModelArgument(io, quant);
      const samples = options.samples === undefined ? undefined : Number(options.samples);
      if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) throw new UsageError(`--samples ${options.samples}: give a whole number of at least 1`);
      if (options.data !== 'synthetic' && !existsSync(resolve(io.cwd, options.data))) throw new UsageError(`--data ${options.data}: no such folder (give a folder of .npy samples or 'synthetic')`);
      if (options.html) {
        const out = resolve(io.cwd, options.html);
        if (existsSync(out) && (await fsp.stat(out)).isDirectory()) throw new UsageError(`--html ${options.html}: is a folder; give a file name such as quantdiff.html`);
        if (!existsSync(dirname(out))) throw new UsageError(`--html ${options.html}: the folder ${dirname(out)} does not exist`);
      }
      const inputSizes: Record<string, number[]> = {};
      for (const spec of options.input) {
        const [name, dims] = parseInputShape(spec);
        if (!dims.every((d): d is number => typeof d === 'number')) throw new UsageError(`--input ${spec}: give numbers for every dim`);
        inputSizes[name] = dims;
      }
      let result;
      try {
        result = await runJobInCli(io, quantdiffJobKind, {
          fp32, quant, data: options.data,
          ...(samples !== undefined ? { samples } : {}),
          ...(Object.keys(inputSizes).length ? { inputSizes } : {}),
          ...(options.html ? { html: options.html } : {}),
        });
      } catch (e) {
        // Anything that stops the diff is about its inputs (models, samples): exit 2, one line.
        if (e instanceof RunCancelled) throw e;
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
      const { summary, record } = result;
      if (options.json) {
        printJson(io, { ...summary, ...(options.html ? { html: options.html } : {}), runId: record.id });
      } else {
        io.stdout.write(humanReport(summary));
        if (options.html) io.stdout.write(`Page: ${options.html}\n`);
        io.stdout.write(`Run ${record.id} (log: ${relative(io.cwd, record.log)})\n`);
      }
      setExitCode(ExitCode.ok);
    });
}

function humanReport(s: QuantDiffSummary): string {
  const out: string[] = [];
  out.push(`Inputs: ${s.data.description}${s.data.synthetic ? ' — synthetic data: the figures do not predict accuracy on real inputs' : ''}`);
  const size = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)} ms`);
  out.push(`Size: ${size(s.fp32.bytes)} -> ${size(s.quant.bytes)}; host latency (median, onnxruntime CPU): ${ms(s.fp32.latencyMs)} -> ${ms(s.quant.latencyMs)}`, '');
  out.push(
    formatTable(
      ['output', 'SQNR dB', 'cosine', 'max |err|', 'top-1 agreement'],
      s.outputs.map((o) => [o.name, dB(o.sqnrDb), o.cosine.toFixed(5), o.maxAbsErr.toPrecision(3), o.decisionAgreement === undefined ? '-' : `${(o.decisionAgreement * 100).toFixed(1)}%`]),
    ).trimEnd(),
    '',
  );
  const worst = [...s.tensors].sort((a, b) => (a.sqnrDb ?? Infinity) - (b.sqnrDb ?? Infinity));
  const shown = worst.slice(0, 15);
  out.push(`Tensors: ${s.tensors.length} compared${s.unmatched.length ? `, ${s.unmatched.length} without a counterpart` : ''}; ${shown.length < worst.length ? `the ${shown.length} with the lowest SQNR` : 'lowest SQNR first'} (all in --json, --html):`);
  out.push(formatTable(['tensor', 'node', 'op', 'SQNR dB', 'cosine', 'max |err|'], shown.map((t) => [t.name, t.node, t.op, dB(t.sqnrDb), t.cosine.toFixed(5), t.maxAbsErr.toPrecision(3)])).trimEnd());
  return `${out.join('\n')}\n`;
}
