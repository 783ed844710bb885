import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { quantDiffReportSchema } from '../../../protocol/quantdiffReport';
import { defineJobKind } from '../jobKind';

/** `aios quantdiff`: the fp32 and the quantized model run on the same samples, compared tensor by tensor. */
export const quantdiffJobKind = defineJobKind({
  kind: 'quantdiff',
  title: 'Quantization diff',
  heavy: true,
  inputs: z.object({
    /** The float model, relative to the job's folder or absolute. */
    fp32: z.string().min(1, 'name the fp32 model'),
    /** The quantized model. */
    quant: z.string().min(1, 'name the quantized model'),
    /** A folder of .npy samples, or `synthetic` (the default). */
    data: z.string().optional(),
    samples: z.number().int().positive().optional(),
    /** Sizes of dynamic input dims: {input: [d0, d1, ...]}. */
    inputSizes: z.record(z.string(), z.array(z.number().int().nonnegative())).optional(),
    /** A self-contained HTML page of the diff to write. */
    html: z.string().optional(),
  }),
  summary: quantDiffReportSchema,
  command: (inputs, cwd) => {
    const rel = (p: string) => relative(cwd, resolve(cwd, p));
    return [
      'aios quantdiff', rel(inputs.fp32), rel(inputs.quant),
      ...(inputs.data ? ['--data', inputs.data === 'synthetic' ? 'synthetic' : rel(inputs.data)] : []),
      ...(inputs.samples ? ['--samples', String(inputs.samples)] : []),
      ...(inputs.html ? ['--html', rel(inputs.html)] : []),
    ].join(' ');
  },
  inputFiles: (inputs, cwd) => [resolve(cwd, inputs.fp32), resolve(cwd, inputs.quant)],
  outputFiles: (inputs, cwd) => (inputs.html ? [resolve(cwd, inputs.html)] : []),
  async execute(inputs, context) {
    const { quantDiff } = await import('../../quantdiff/quantDiff');
    const cwd = context.cwd;
    const data = inputs.data === undefined || inputs.data === 'synthetic' ? 'synthetic' : resolve(cwd, inputs.data);
    const report = await quantDiff(resolve(cwd, inputs.fp32), resolve(cwd, inputs.quant), {
      data,
      ...(inputs.samples ? { samples: inputs.samples } : {}),
      ...(inputs.inputSizes ? { inputSizes: inputs.inputSizes } : {}),
      signal: context.signal,
      progress: (stage, fraction, message) => context.progress({ stage, fraction, ...(message ? { message } : {}) }),
    });
    if (report.data.synthetic) context.log(`quantdiff: figures from ${report.data.description}, not real data`);
    if (inputs.html) {
      const { writeFile } = await import('node:fs/promises');
      const { quantDiffHtml } = await import('../../quantdiff/exportHtml');
      await writeFile(context.output(resolve(cwd, inputs.html)), await quantDiffHtml(report), { signal: context.signal });
    }
    return report;
  },
});
