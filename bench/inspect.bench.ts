/**
 * Inspect benchmark (issue 4, items 3-4 and 9): `aios inspect` work (open + shape inference +
 * cost + summary) on the generated 50,000-node graph of the open benchmark, against opening
 * alone in the same run. Each measurement runs in a fresh child process.
 * Goal: 50k nodes inspected under 2 s, open included.
 *
 * Second table (issue 15): `aios inspect` work on a generated 1,000,000-node transformer-style
 * export (bench/hugeModels.ts) against a 100,000-node one of the same shape in the same run, to
 * show scaling. Goal: <= 8 s wall and <= 1 GiB peak RSS. AIOS_BENCH_HUGE_RUNS (default 3) runs
 * each; AIOS_BENCH_HUGE=0 leaves the table out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, runChild, type BenchTable } from './harness';
import type { InspectRunResult } from './inspectChild';
import { writeManyNodesModel } from './onnxBenchModels';
import { writeHugeModel } from './hugeModels';

export const name = 'inspect';

const NODES = 50_000;
const RUNS = Number(process.env['AIOS_BENCH_RUNS'] ?? 5);
const HUGE_RUNS = Number(process.env['AIOS_BENCH_HUGE_RUNS'] ?? 3);
const GiB = 2 ** 30;
const MB = 1e6;

async function measure(caseName: string, file: string, runs = RUNS): Promise<{ ms: number; openMs: number; cpuMs: number; rss: number; sample: InspectRunResult }> {
  const results: InspectRunResult[] = [];
  for (let k = 0; k < runs; k++) results.push(await runChild<InspectRunResult>(join(__dirname, 'inspectChild.js'), [caseName, file]));
  return {
    ms: median(results.map((r) => r.ms)),
    openMs: median(results.map((r) => r.openMs)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    rss: median(results.map((r) => r.maxRssBytes)),
    sample: results[0]!,
  };
}

/** The 1M-node table: inspect on 100k and 1M nodes of the same generated architecture. */
async function hugeTable(dir: string): Promise<BenchTable> {
  const rows: string[][] = [];
  let huge: Awaited<ReturnType<typeof measure>> | undefined;
  let base: Awaited<ReturnType<typeof measure>> | undefined;
  for (const nodes of [100_000, 1_000_000]) {
    const file = join(dir, `huge-${nodes}.onnx`);
    const written = await writeHugeModel(file, nodes, 'deep');
    const m = await measure('inspect', file, HUGE_RUNS);
    rmSync(file, { force: true });
    if (m.sample.nodes !== written.nodes) throw new Error(`inspect did not cover the graph: ${JSON.stringify(m.sample)}`);
    if (nodes === 1_000_000) huge = m;
    else base = m;
    rows.push([
      `${written.nodes.toLocaleString('en')} nodes (${(written.bytes / MB).toFixed(0)} MB)`,
      m.ms.toFixed(0),
      m.openMs.toFixed(0),
      m.cpuMs.toFixed(0),
      `${(m.rss / MB).toFixed(0)} MB`,
      base ? `${(m.ms / base.ms).toFixed(1)}x` : '1.0x',
    ]);
  }
  return {
    title: 'aios inspect (open + shapes + cost) on a generated transformer-style export (bench/hugeModels.ts, deep): 100k vs 1M nodes',
    columns: ['model', 'wall ms', 'open ms', 'CPU ms', 'peak RSS', 'x 100k'],
    rows,
    notes: [
      `${huge && huge.ms <= 8000 ? 'MET   ' : 'MISSED'} 1M nodes inspected in <= 8 s wall`,
      `${huge && huge.rss <= GiB ? 'MET   ' : 'MISSED'} 1M nodes inspected in <= 1 GiB peak RSS`,
      'linear scaling would be 10x; wall time counts waiting for the CPU on a loaded machine, CPU time does not',
      `median of ${HUGE_RUNS} runs, each in a fresh node process; load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end`,
    ],
  };
}

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-inspect-'));
  try {
    const tables = [await manyNodesTable(dir)];
    if (process.env['AIOS_BENCH_HUGE'] !== '0') tables.push(await hugeTable(dir));
    return tables;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function manyNodesTable(dir: string): Promise<BenchTable> {
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
}
