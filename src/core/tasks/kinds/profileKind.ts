import { resolve } from 'node:path';
import { z } from 'zod';
import { precisions } from '../../compute/words';
import { nodeFileSystem } from '../../fs';
import { profileResultSchema } from '../../profile/result';
import { readModelReference } from '../../usecase/modelReference';
import { defineJobKind } from '../jobKind';

const isUseCase = (path: string) => /\.usecase\.ya?ml$/.test(path);

/** `aios profile`: estimated latency, memory and power per SoC target (SPEC §3). */
export const profileJobKind = defineJobKind({
  kind: 'profile',
  title: 'Profile',
  heavy: true,
  inputs: z.object({
    /** A model or use case (with `ecu`: a folder or file of the workspace), relative to the job's folder or absolute. */
    input: z.string().min(1, 'name a model (.onnx) or a use case (*.usecase.yaml)'),
    targets: z.array(z.string().min(1)).optional(),
    precision: z.enum(precisions).optional(),
    inputShapes: z.record(z.string(), z.array(z.union([z.number().int().nonnegative(), z.string()]))).optional(),
    ecu: z.string().min(1).optional(),
    /** Also run the model on this host with onnxruntime-node (`--measure`). */
    measure: z.boolean().optional(),
  }),
  summary: profileResultSchema,
  command: (inputs) =>
    [
      'aios profile',
      inputs.input,
      ...(inputs.targets ?? []).map((t) => `--target ${t}`),
      ...(inputs.precision ? [`--precision ${inputs.precision}`] : []),
      ...Object.entries(inputs.inputShapes ?? {}).map(([n, d]) => `--input ${n}=${d.join(',')}`),
      ...(inputs.ecu ? [`--ecu ${inputs.ecu}`] : []),
      ...(inputs.measure ? ['--measure'] : []),
    ].join(' '),
  inputFiles: async (inputs, cwd) => {
    const input = resolve(cwd, inputs.input);
    if (inputs.ecu !== undefined || !isUseCase(input)) return inputs.ecu !== undefined ? [] : [input];
    const model = (await readModelReference(nodeFileSystem, input))?.modelFile;
    return model ? [input, model] : [input];
  },
  outputFiles: () => [],
  async execute(inputs, context) {
    const { profileWithMeasurement } = await import('../../profile/measure/profileWithMeasurement');
    const { hostInfoFromOs } = await import('../../soc/hostInfo');
    const { validateStage } = await import('../../pipeline/validateStage');
    const loader = validateStage();
    const loadUseCase = async (file: string) => {
      const { outcome, loaded } = await loader.load(file, { fs: nodeFileSystem, signal: context.signal });
      return { ...(loaded ? { loaded } : {}), problem: outcome.detail };
    };
    return profileWithMeasurement(
      {
        input: resolve(context.cwd, inputs.input),
        ...(inputs.targets ? { targets: inputs.targets } : {}),
        ...(inputs.precision ? { precision: inputs.precision } : {}),
        ...(inputs.inputShapes ? { inputShapes: inputs.inputShapes } : {}),
        ...(inputs.ecu !== undefined ? { ecu: inputs.ecu } : {}),
        ...(inputs.measure ? { measure: true } : {}),
      },
      { fs: nodeFileSystem, host: hostInfoFromOs(), signal: context.signal, progress: (p) => context.progress(p), loadUseCase },
    );
  },
});
