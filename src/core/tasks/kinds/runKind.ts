import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { nodeFileSystem } from '../../fs';
import { readModelReference } from '../../usecase/modelReference';
import type { UseCaseRun } from '../../pipeline/pipeline';
import { defineJobKind, type JobContext } from '../jobKind';

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
  // The report and, beside it, the graph page of each use case's model (written when its inspect passed).
  outputFiles: (inputs, cwd) => (inputs.report ? [resolve(cwd, inputs.report), ...inputs.useCases.map((f) => graphPagePath(resolve(cwd, inputs.report!), f))] : []),
  async execute(inputs, context) {
    const { runPipeline } = await import('../../pipeline/pipeline');
    const { pipelineStages } = await import('../../pipeline/stages');
    const { renderRunReport } = await import('../../pipeline/htmlReport');
    const { nodeFileSystem } = await import('../../fs');
    const { openRunStore, runsDirFor } = await import('../runStore');
    const files = inputs.useCases.map((f) => resolve(context.cwd, f));
    const useCases = [];
    for (const [index, file] of files.entries()) {
      context.progress({ stage: 'pipeline', fraction: index / files.length, message: relative(context.cwd, file) });
      useCases.push(...(await runPipeline([file], pipelineStages({ runs: () => openRunStore(runsDirFor(context.cwd)).list(), log: (line) => context.log(line) }), nodeFileSystem, context.signal)));
    }
    const summary = { useCases: useCases.map((u) => ({ file: u.file, status: u.status, stages: u.stages.map((s) => ({ ...s })) })) };
    if (inputs.report === undefined) return summary;
    const report = resolve(context.cwd, inputs.report);
    context.progress({ stage: 'report', fraction: 1, message: relative(context.cwd, report) });
    const pages = await writeGraphPages(useCases, report, context);
    const reportUseCases = useCases.map((u, i) => ({
      file: relative(context.cwd, u.file),
      status: u.status,
      stages: u.stages.map((st) => ({ ...st })),
      ...(u.name !== undefined ? { name: u.name } : {}),
      ...(u.domain !== undefined ? { domain: u.domain } : {}),
      ...u.report,
      ...(pages[i] !== undefined ? { graphPage: pages[i] } : {}),
    }));
    const { readReportBundle } = await import('../../pipeline/reportBundle');
    const html = renderRunReport({ generatedAt: new Date().toISOString(), useCases: reportUseCases }, await readReportBundle(context.log));
    await writeFile(context.output(report), html, { signal: context.signal });
    return { ...summary, report };
  },
});

/** `reports/graphs/<use-case file name>.html`: one per use-case file, so the name is known before the run. */
function graphPagePath(report: string, useCaseFile: string): string {
  return join(dirname(report), 'graphs', `${basename(useCaseFile).replace(/\.usecase\.ya?ml$/, '')}.html`);
}

/**
 * The graph page of each use case whose model was inspected, beside the report; returns each
 * page's link relative to the report (undefined where none was written). A page that cannot
 * be built is left out with a line in the log: the report matters more than one link.
 */
async function writeGraphPages(useCases: readonly UseCaseRun[], report: string, context: JobContext): Promise<Array<string | undefined>> {
  const { readModelFile } = await import('../../onnx/read');
  const { buildModelPayload } = await import('../../graphview/buildPayload');
  const { exportGraphPage, loadGraphAssets } = await import('../../graphview/exportModel');
  const { webviewBundlesDir } = await import('../../pipeline/reportBundle');
  const webviews = webviewBundlesDir();
  if (webviews === undefined) return [];
  const assets = await loadGraphAssets(nodeFileSystem, webviews);
  const links: Array<string | undefined> = [];
  for (const u of useCases) {
    const inspected = u.stages.find((st) => st.name === 'inspect')?.status === 'passed';
    if (!inspected || u.model === undefined) {
      links.push(undefined);
      continue;
    }
    const page = graphPagePath(report, u.file);
    try {
      const model = await readModelFile(u.model, { signal: context.signal });
      const payload = await buildModelPayload(model, { title: basename(u.model) });
      await writeFile(context.output(page), exportGraphPage(payload, {}, assets), { signal: context.signal });
      links.push(relative(dirname(report), page).split(sep).join('/'));
    } catch (error) {
      if (context.signal.aborted) throw error;
      context.log(`graph page of ${basename(u.model)} left out: ${error instanceof Error ? error.message : String(error)}`);
      links.push(undefined);
    }
  }
  return links;
}
