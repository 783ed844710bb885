import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { nodeFileSystem } from '../../fs';
import { replayResultSchema } from '../../replay/result';
import { readModelReference } from '../../usecase/modelReference';
import { defineJobKind } from '../jobKind';

/** `aios replay`: a use case's model over recorded inputs, with its dataLoop triggers evaluated. */
export const replayJobKind = defineJobKind({
  kind: 'replay',
  title: 'Replay recorded data',
  heavy: true,
  inputs: z.object({
    /** The use-case file, relative to the job's folder or absolute. */
    useCase: z.string().min(1),
    /** Folder of recorded samples (.npy, SPEC §3 layout). */
    data: z.string().min(1),
    rate: z.number().positive().optional(),
    hoursPerDay: z.number().positive().max(24).optional(),
  }),
  summary: replayResultSchema,
  command: (inputs, cwd) =>
    [
      'aios replay',
      relative(cwd, resolve(cwd, inputs.useCase)),
      '--data',
      relative(cwd, resolve(cwd, inputs.data)) || '.',
      ...(inputs.rate !== undefined ? ['--rate', String(inputs.rate)] : []),
      ...(inputs.hoursPerDay !== undefined ? ['--hours-per-day', String(inputs.hoursPerDay)] : []),
    ].join(' '),
  inputFiles: async (inputs, cwd) => {
    const useCase = resolve(cwd, inputs.useCase);
    const model = (await readModelReference(nodeFileSystem, useCase))?.modelFile;
    return model ? [useCase, model] : [useCase];
  },
  outputFiles: () => [],
  async execute(inputs, context) {
    const { replay } = await import('../../replay/replay');
    context.progress({ stage: 'replay', fraction: 0 });
    return replay({
      useCaseFile: resolve(context.cwd, inputs.useCase),
      data: resolve(context.cwd, inputs.data),
      ...(inputs.rate !== undefined ? { rate: inputs.rate } : {}),
      ...(inputs.hoursPerDay !== undefined ? { hoursPerDay: inputs.hoursPerDay } : {}),
      signal: context.signal,
      progress: (done, total) => context.progress({ stage: 'replay', fraction: total > 0 ? done / total : undefined, message: `${done}/${total} samples` }),
    });
  },
});
