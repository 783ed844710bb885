import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { nodeFileSystem } from '../../fs';
import { readModelReference } from '../../usecase/modelReference';
import { defineJobKind } from '../jobKind';

const stageResult = z.object({ name: z.string(), status: z.enum(['passed', 'failed', 'skipped', 'unavailable']), detail: z.string() });

/** `aios run`: the pipeline over use-case files, and its HTML report. */
export const runJobKind = defineJobKind({
  kind: 'run',
  title: 'Run pipeline',
  heavy: true,
  inputs: z.object({
    /** Use-case files, relative to the job's folder or absolute. */
    useCases: z.array(z.string()).min(1, 'name at least one *.usecase.yaml'),
    /** The HTML report to write; none when omitted. */
    report: z.string().optional(),
  }),
  summary: z.object({
    useCases: z.array(z.object({ file: z.string(), status: z.enum(['passed', 'failed', 'incomplete']), stages: z.array(stageResult) })),
    report: z.string().optional(),
  }),
  command: (inputs, cwd) => {
    const report = inputs.report ? ['--report', dirname(relative(cwd, resolve(cwd, inputs.report)))] : [];
    return ['aios run', ...inputs.useCases.map((f) => relative(cwd, resolve(cwd, f))), ...report].join(' ');
  },
  // The models too, so a result is shown as current only while its model is unchanged.
  inputFiles: async (inputs, cwd) => {
    const useCases = inputs.useCases.map((f) => resolve(cwd, f));
    const models = await Promise.all(useCases.map(async (f) => (await readModelReference(nodeFileSystem, f))?.modelFile));
    return [...new Set([...useCases, ...models.filter((m): m is string => m !== undefined)])];
  },
  outputFiles: (inputs, cwd) => (inputs.report ? [resolve(cwd, inputs.report)] : []),
  async execute(inputs, context) {
    const { runPipeline } = await import('../../pipeline/pipeline');
    const { pipelineStages } = await import('../../pipeline/stages');
    const { renderRunReport } = await import('../../pipeline/htmlReport');
    const { nodeFileSystem } = await import('../../fs');
    const files = inputs.useCases.map((f) => resolve(context.cwd, f));
    const useCases = [];
    for (const [index, file] of files.entries()) {
      context.progress({ stage: 'pipeline', fraction: index / files.length, message: relative(context.cwd, file) });
      useCases.push(...(await runPipeline([file], pipelineStages(), nodeFileSystem, context.signal)));
    }
    const summary = { useCases: useCases.map((u) => ({ file: u.file, status: u.status, stages: u.stages.map((s) => ({ ...s })) })) };
    if (inputs.report === undefined) return summary;
    const report = resolve(context.cwd, inputs.report);
    context.progress({ stage: 'report', fraction: 1, message: relative(context.cwd, report) });
    const shown = summary.useCases.map((u) => ({ ...u, file: relative(context.cwd, u.file) }));
    await writeFile(context.output(report), renderRunReport(shown, new Date().toISOString()), { signal: context.signal });
    return { ...summary, report };
  },
});
