/**
 * ONNX open benchmark (issue 4, item 9): our windowed reader against a full protobufjs
 * decode, on a generated 50,000-node graph and a generated ~1.5 GiB weight-heavy single-file
 * model. Each measurement runs in a fresh child process (peak RSS is per case).
 * Goals: 50k nodes under 2 s; 1.5 GiB model under 1 s with peak RSS under 300 MB.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, runChild, type BenchTable, type Cell } from './harness';
import { writeManyNodesModel, writeWeightHeavyModel } from './onnxBenchModels';
import type { OpenResult } from './onnxOpenChild';

export const name = 'onnx-open';

const NODES = 50_000;
const HEAVY_LAYERS = 6;
const HEAVY_SIDE = 8192; // 6 x 8192 x 8192 x 4 B = 1.5 GiB
const RUNS = Number(process.env['AIOS_BENCH_RUNS'] ?? 5);
const BASELINE_RUNS = Number(process.env['AIOS_BENCH_BASELINE_RUNS'] ?? 3);
const MB = 1e6;

interface Measured {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rss: number;
  readonly sample: OpenResult;
}

async function measure(caseName: string, file: string, runs: number): Promise<Measured> {
  const results: OpenResult[] = [];
  for (let k = 0; k < runs; k++) results.push(await runChild<OpenResult>(join(__dirname, 'onnxOpenChild.js'), [caseName, file]));
  return { ms: median(results.map((r) => r.ms)), cpuMs: median(results.map((r) => r.cpuMs)), rss: median(results.map((r) => r.maxRssBytes)), sample: results[0]! };
}

export async function run(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-onnx-'));
  const rows: Cell[][] = [];
  const notes: string[] = [];
  try {
    const free = (() => {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    })();
    const heavyBytes = HEAVY_LAYERS * HEAVY_SIDE * HEAVY_SIDE * 4;

    const manyFile = join(dir, 'many-nodes.onnx');
    const manySize = await writeManyNodesModel(manyFile, NODES);
    const many = { ours: await measure('aios-read', manyFile, RUNS), base: await measure('protobufjs-decode', manyFile, RUNS) };
    rows.push(row(`${NODES.toLocaleString('en')} nodes`, manySize, many.ours, many.base));
    notes.push(goal(`50k nodes open < 2 s`, many.ours.ms < 2000));

    if (free < heavyBytes * 1.2) {
      notes.push(`weight-heavy case skipped: ${(free / 1e9).toFixed(1)} GB free in ${tmpdir()}, ${((heavyBytes * 1.2) / 1e9).toFixed(1)} GB needed`);
    } else {
      const heavyFile = join(dir, 'weight-heavy.onnx');
      const written = Date.now();
      const heavySize = await writeWeightHeavyModel(heavyFile, HEAVY_LAYERS, HEAVY_SIDE);
      notes.push(`weight-heavy model written streaming in ${((Date.now() - written) / 1000).toFixed(1)} s`);
      const heavy = { ours: await measure('aios-read', heavyFile, RUNS), base: await measure('protobufjs-decode', heavyFile, BASELINE_RUNS) };
      rows.push(row(`${HEAVY_LAYERS} x ${HEAVY_SIDE}x${HEAVY_SIDE} fp32 weights`, heavySize, heavy.ours, heavy.base));
      notes.push(goal(`1.5 GiB model open < 1 s`, heavy.ours.ms < 1000), goal(`1.5 GiB model peak RSS < 300 MB`, heavy.ours.rss < 300 * MB));
      rmSync(heavyFile, { force: true });
    }
    notes.push(
      `machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end (wall time suffers when other work competes; CPU ms is user+system of the case)`,
      `median of ${RUNS} runs (baseline ${BASELINE_RUNS} on the big model), each in a fresh node process; time = open + walk all nodes and tensor metadata;`,
      'peak RSS = process.resourceUsage().maxRSS of that process (includes Node itself, ~40-50 MB). Files are in the page cache (just written).',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'ONNX open: aios readModelFile vs protobufjs full decode (fs.readFileSync + ModelProto.decode)',
    columns: ['model', 'file', 'aios ms', 'aios CPU ms', 'aios peak RSS', 'protobufjs ms', 'protobufjs CPU ms', 'protobufjs peak RSS', 'speed-up', 'RSS ratio'],
    rows,
    notes,
  };
}

function row(label: string, size: number, ours: Measured, base: Measured): Cell[] {
  if (ours.sample.nodes !== base.sample.nodes || ours.sample.weightBytes !== base.sample.weightBytes) {
    throw new Error(`${label}: readers disagree (${JSON.stringify(ours.sample)} vs ${JSON.stringify(base.sample)})`);
  }
  return [
    label,
    mb(size),
    ours.ms.toFixed(0),
    ours.cpuMs.toFixed(0),
    mb(ours.rss),
    base.ms.toFixed(0),
    base.cpuMs.toFixed(0),
    mb(base.rss),
    `${(base.ms / ours.ms).toFixed(1)}x`,
    `${(base.rss / ours.rss).toFixed(1)}x`,
  ];
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

function goal(what: string, met: boolean): string {
  return `${met ? 'MET   ' : 'MISSED'} ${what}`;
}
