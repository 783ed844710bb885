import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineJobKind } from '../jobKind';

const stageResult = z.object({ name: z.string(), status: z.enum(['passed', 'failed', 'skipped', 'unavailable']), detail: z.string() });

/** `aios run`: the pipeline over use-case files. */
export const runJobKind = defineJobKind({
  kind: 'run',
  title: 'Run pipeline',
  heavy: true,
  inputs: z.object({
    /** Use-case files, relative to the job's folder or absolute. */
    useCases: z.array(z.string()).min(1, 'name at least one *.usecase.yaml'),
  }),
  summary: z.object({
    useCases: z.array(z.object({ file: z.string(), status: z.enum(['passed', 'failed', 'incomplete']), stages: z.array(stageResult) })),
  }),
  command: (inputs, cwd) => ['aios run', ...inputs.useCases.map((f) => relative(cwd, resolve(cwd, f)) || '.')].join(' '),
  inputFiles: (inputs, cwd) => inputs.useCases.map((f) => resolve(cwd, f)),
  outputFiles: () => [],
  async execute(inputs, context) {
    const { runPipeline } = await import('../../pipeline/pipeline');
    const { pipelineStages } = await import('../../pipeline/stages');
    const { nodeFileSystem } = await import('../../fs');
    const files = inputs.useCases.map((f) => resolve(context.cwd, f));
    const useCases = [];
    for (const [index, file] of files.entries()) {
      context.progress({ stage: 'pipeline', fraction: index / files.length, message: relative(context.cwd, file) });
      useCases.push(...(await runPipeline([file], pipelineStages(), nodeFileSystem, context.signal)));
    }
    return { useCases: useCases.map((u) => ({ file: u.file, status: u.status, stages: u.stages.map((s) => ({ ...s })) })) };
  },
});
