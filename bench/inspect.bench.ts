/**
 * Inspect benchmark (issue 4, items 3-4 and 9): `aios inspect` work (open + shape inference +
 * cost + summary) on the generated 50,000-node graph of the open benchmark, against opening
 * alone in the same run. Each measurement runs in a fresh child process.
 * Goal: 50k nodes inspected under 2 s, open included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, runChild, type BenchTable } from './harness';
import type { InspectRunResult } from './inspectChild';
import { writeManyNodesModel } from './onnxBenchModels';

export const name = 'inspect';

const NODES = 50_000;
const RUNS = Number(process.env['AIOS_BENCH_RUNS'] ?? 5);
const MB = 1e6;

async function measure(caseName: string, file: string): Promise<{ ms: number; openMs: number; cpuMs: number; rss: number; sample: InspectRunResult }> {
  const results: InspectRunResult[] = [];
  for (let k = 0; k < RUNS; k++) results.push(await runChild<InspectRunResult>(join(__dirname, 'inspectChild.js'), [caseName, file]));
  return {
    ms: median(results.map((r) => r.ms)),
    openMs: median(results.map((r) => r.openMs)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    rss: median(results.map((r) => r.maxRssBytes)),
    sample: results[0]!,
  };
}

export async function run(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-inspect-'));
  try {
    const file = join(dir, 'many-nodes.onnx');
    const size = await writeManyNodesModel(file, NODES);
    const open = await measure('open', file);
    const inspect = await measure('inspect', file);
    if (inspect.sample.nodes !== NODES || inspect.sample.knownTensors < NODES) {
      throw new Error(`inspect did not cover the graph: ${JSON.stringify(inspect.sample)}`);
    }
    return {
      title: `aios inspect on a generated ${NODES.toLocaleString('en')}-node graph (${(size / MB).toFixed(1)} MB): open alone vs open + shape inference + cost`,
      columns: ['case', 'total ms', 'open ms', 'analysis ms', 'CPU ms', 'peak RSS', 'x open'],
      rows: [
        ['open (baseline)', open.ms.toFixed(0), open.openMs.toFixed(0), '0', open.cpuMs.toFixed(0), `${(open.rss / MB).toFixed(0)} MB`, '1.0x'],
        ['inspect', inspect.ms.toFixed(0), inspect.openMs.toFixed(0), (inspect.ms - inspect.openMs).toFixed(0), inspect.cpuMs.toFixed(0), `${(inspect.rss / MB).toFixed(0)} MB`, `${(inspect.ms / open.ms).toFixed(1)}x`],
      ],
      notes: [
        `${inspect.ms < 2000 ? 'MET   ' : 'MISSED'} 50k nodes inspected (open + shapes + cost) < 2 s`,
        `inferred ${inspect.sample.knownTensors.toLocaleString('en')} fully known tensor shapes; ${inspect.sample.flops.toLocaleString('en')} FLOPs`,
        `median of ${RUNS} runs, each in a fresh node process; machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
