/**
 * One measurement of the inspect benchmark in its own process: `node out/bench/inspectChild.js
 * CASE FILE` prints one JSON line. Cases: `open` (readModelFile and a walk, the baseline) and
 * `inspect` (open + shape inference + cost + summary, what `aios inspect --json` does).
 */
import { readModelFile } from '../src/core/onnx/read';
import { inspectModel } from '../src/core/onnx/summary';

export interface InspectRunResult {
  readonly ms: number;
  readonly openMs: number;
  readonly cpuMs: number;
  readonly maxRssBytes: number;
  readonly nodes: number;
  /** Tensors with a fully known shape (proves inference ran). */
  readonly knownTensors: number;
  readonly flops: number;
}

async function main(): Promise<void> {
  const [caseName, file] = process.argv.slice(2);
  if ((caseName !== 'open' && caseName !== 'inspect') || file === undefined) throw new Error('usage: inspectChild.js (open|inspect) FILE');
  const cpu = process.cpuUsage();
  const started = performance.now();
  const model = await readModelFile(file);
  let edges = 0;
  for (const node of model.graph.nodes) edges += node.inputs.length;
  const openMs = performance.now() - started;
  let knownTensors = 0;
  let flops = 0;
  if (caseName === 'inspect') {
    const { summary, shapes } = await inspectModel(model);
    flops = summary.flops;
    for (const t of shapes.tensors.values()) if (t.shape?.every((d) => typeof d === 'number')) knownTensors++;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: InspectRunResult = {
    ms,
    openMs,
    cpuMs: (used.user + used.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    nodes: edges > 0 ? model.graph.nodes.length : 0,
    knownTensors,
    flops,
  };
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
