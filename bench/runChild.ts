/**
 * One in-process pipeline run of the `run` benchmark, in a fresh process bundled like the CLI:
 * `node runChild.js DIR full|baseline`. Every stage is timed; prints one JSON line
 * {ms, totals: {stage: ms}, statuses}.
 */
import { nodeFileSystem } from '../src/core/fs';
import { inspectStage } from '../src/core/pipeline/inspectStage';
import { runPipeline, type Pipeline, type PipelineStage } from '../src/core/pipeline/pipeline';
import { pipelineStages } from '../src/core/pipeline/stages';
import { findFiles, useCaseSuffixes } from '../src/core/workspace/findFiles';

function timedPipeline(pipeline: Pipeline, totals: Record<string, number>): Pipeline {
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      totals[name] = (totals[name] ?? 0) + performance.now() - t;
    }
  };
  const stages = pipeline.stages.map((stage): PipelineStage => ({ name: stage.name, run: (context) => timed(stage.name, () => stage.run(context)) }));
  const { loader } = pipeline;
  return { loader: { name: loader.name, load: (file, io) => timed(loader.name, () => loader.load(file, io)) }, stages };
}

async function main(): Promise<void> {
  const [dir = '', mode = 'full'] = process.argv.slice(2);
  const all = pipelineStages();
  const pipeline: Pipeline = mode === 'baseline' ? { loader: all.loader, stages: [inspectStage()] } : all;
  const files = await findFiles(nodeFileSystem, [dir], useCaseSuffixes);
  const totals: Record<string, number> = {};
  const t = performance.now();
  const runs = await runPipeline(files, timedPipeline(pipeline, totals), nodeFileSystem);
  console.log(JSON.stringify({ ms: performance.now() - t, totals, statuses: runs.map((r) => r.status) }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
