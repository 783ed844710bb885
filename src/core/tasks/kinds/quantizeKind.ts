import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { quantizeInputs, resolveSettings, type QuantizeInputs, type QuantizeSettings } from '../../quantize/request';
import { defineJobKind } from '../jobKind';

function settingsOrUndefined(inputs: QuantizeInputs, cwd: string): QuantizeSettings | undefined {
  try {
    return resolveSettings(inputs, cwd);
  } catch {
    return undefined;
  }
}

const keptFloat = z.object({ node: z.string(), op: z.string(), reason: z.string() });

/** `aios quantize`: a use case or a model to int8 (fp16, int4 weight-only), written beside the model. */
export const quantizeJobKind = defineJobKind({
  kind: 'quantize',
  title: 'Quantize',
  heavy: true,
  inputs: quantizeInputs,
  summary: z.object({
    output: z.string(),
    model: z.string(),
    useCase: z.string().optional(),
    precision: z.string(),
    nodesQuantized: z.number(),
    nodesKeptFloat: z.number(),
    keptFloat: z.array(keptFloat),
    sizeBefore: z.number(),
    sizeAfter: z.number(),
    /** JSON has no Infinity: an exact result is stored as null. */
    outputSqnrDb: z.number().nullable(),
    outputs: z.array(z.object({ name: z.string(), sqnrDb: z.number().nullable() })),
    // calibrated/judged/judgedIds: absent in records written before the SQNR was judged on held-out samples.
    calibration: z.object({ data: z.string(), synthetic: z.boolean(), samples: z.number(), method: z.string(), calibrated: z.number().optional(), judged: z.number().optional(), judgedIds: z.array(z.string()).optional() }),
    minSqnrDb: z.number().optional(),
    gatePassed: z.boolean().optional(),
    mixed: z
      .object({
        allInt8SqnrDb: z.number().nullable(),
        layers: z.array(z.object({ node: z.string(), op: z.string(), onlyQuantizedSqnrDb: z.number().nullable(), kept: z.boolean(), sqnrAfterDb: z.number().nullable().optional(), gainDb: z.number().nullable().optional() })),
      })
      .optional(),
    notes: z.array(z.string()),
  }),
  command: (inputs: QuantizeInputs, cwd: string) => {
    const args = ['aios quantize', relative(cwd, resolve(cwd, inputs.input))];
    if (inputs.precision) args.push('--precision', inputs.precision);
    if (inputs.calibration) args.push('--calibration', inputs.calibration === 'synthetic' ? 'synthetic' : relative(cwd, resolve(cwd, inputs.calibration)));
    if (inputs.samples !== undefined) args.push('--samples', String(inputs.samples));
    if (inputs.method) args.push('--method', inputs.method);
    if (inputs.weights) args.push('--weights', inputs.weights);
    for (const g of inputs.keepFloat ?? []) args.push('--keep-float', JSON.stringify(g));
    if (inputs.minSqnrDb !== undefined) args.push('--min-sqnr', String(inputs.minSqnrDb));
    if (inputs.blockSize !== undefined) args.push('--block-size', String(inputs.blockSize));
    if (inputs.symmetric === false) args.push('--asymmetric');
    if (inputs.int4Method) args.push('--int4-method', inputs.int4Method);
    if (inputs.autoMixed) args.push('--auto-mixed');
    for (const [name, dims] of Object.entries(inputs.inputShapes ?? {})) args.push('--input', `${name}=${dims.join(',')}`);
    if (inputs.out) args.push('--out', relative(cwd, resolve(cwd, inputs.out)));
    return args.join(' ');
  },
  // A use case that cannot be resolved fails in execute, with its message in the record.
  inputFiles: (inputs, cwd) => {
    const settings = settingsOrUndefined(inputs, cwd);
    if (settings === undefined) return [resolve(cwd, inputs.input)];
    return settings.useCase ? [settings.useCase, settings.model] : [settings.model];
  },
  outputFiles: (inputs, cwd) => {
    const settings = settingsOrUndefined(inputs, cwd);
    return settings === undefined ? [] : [settings.out];
  },
  async execute(inputs, context) {
    const { runQuantize } = await import('../../quantize/run');
    const settings = resolveSettings(inputs, context.cwd);
    const summary = await runQuantize(settings, {
      signal: context.signal,
      cwd: context.cwd,
      progress: (stage, fraction, message) => context.progress({ stage, ...(fraction !== undefined ? { fraction } : {}), ...(message !== undefined ? { message } : {}) }),
      log: (line) => context.log(line),
      output: (path) => context.output(path),
    });
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    const mixed = summary.mixed && {
      allInt8SqnrDb: finite(summary.mixed.allInt8SqnrDb),
      layers: summary.mixed.layers.map((l) => ({
        ...l,
        onlyQuantizedSqnrDb: finite(l.onlyQuantizedSqnrDb),
        ...(l.sqnrAfterDb !== undefined ? { sqnrAfterDb: finite(l.sqnrAfterDb) } : {}),
        ...(l.gainDb !== undefined ? { gainDb: finite(l.gainDb) } : {}),
      })),
    };
    const { mixed: _mixed, ...rest } = summary;
    return { ...rest, ...(mixed ? { mixed } : {}), calibration: { ...summary.calibration, judgedIds: [...summary.calibration.judgedIds] }, keptFloat: [...summary.keptFloat], outputSqnrDb: finite(summary.outputSqnrDb), outputs: summary.outputs.map((o) => ({ ...o, sqnrDb: finite(o.sqnrDb) })), notes: [...summary.notes] };
  },
});
