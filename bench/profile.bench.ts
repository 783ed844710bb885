/**
 * Profile benchmark (issue 12, item 10): the estimator on the generated 50,000-node graph of the
 * open benchmark, on every built-in target, against the cost-model pass alone (shape inference +
 * cost, what every profile starts from) measured in the same run.
 * Goal: 50k nodes profiled for all targets <= 2 s (analysis + estimates).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelFile } from '../src/core/onnx/read';
import { estimateTarget } from '../src/core/profile/estimate';
import { withBudgets } from '../src/core/profile/budgets';
import { analyseModel } from '../src/core/profile/profileRun';
import { builtinCatalog } from '../src/core/soc/catalog';
import { hostInfoFromOs } from '../src/core/soc/hostInfo';
import { median, type BenchTable } from './harness';
import { writeManyNodesModel } from './onnxBenchModels';

export const name = 'profile';

const NODES = 50_000;
const RUNS = Number(process.env['AIOS_BENCH_RUNS'] ?? 5);

export async function run(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-profile-'));
  try {
    const file = join(dir, 'many-nodes.onnx');
    await writeManyNodesModel(file, NODES);
    const model = await readModelFile(file);
    const catalog = builtinCatalog(hostInfoFromOs());
    const targets = catalog.ids().map((id) => catalog.get(id)!);
    const analyseMs: number[] = [];
    const estimateMs: number[] = [];
    let layers = 0;
    for (let k = 0; k < RUNS; k++) {
      const t0 = performance.now();
      const analysed = await analyseModel(model, {});
      const t1 = performance.now();
      for (const target of targets) layers = withBudgets(estimateTarget(analysed, target, { precision: 'int8' }), target, { latencyMs: 10 }).layers.length;
      const t2 = performance.now();
      analyseMs.push(t1 - t0);
      estimateMs.push(t2 - t1);
    }
    const a = median(analyseMs);
    const e = median(estimateMs);
    return {
      title: `aios profile estimator on a generated ${NODES.toLocaleString('en')}-node graph, ${targets.length} targets (model opened once)`,
      columns: ['case', 'median ms', 'per target ms', 'x cost pass'],
      rows: [
        ['cost-model pass: shapes + cost (baseline)', a.toFixed(0), '', '1.0x'],
        [`estimates, all ${targets.length} targets`, e.toFixed(0), (e / targets.length).toFixed(0), `${(e / a).toFixed(2)}x`],
        ['profile total (pass + all estimates)', (a + e).toFixed(0), '', `${((a + e) / a).toFixed(2)}x`],
      ],
      notes: [
        `${a + e <= 2000 ? 'MET   ' : 'MISSED'} 50k nodes profiled for all targets <= 2 s (open excluded; see the inspect bench for open)`,
        `${layers.toLocaleString('en')} kernels after fusion on the last target; median of ${RUNS} runs in this process; machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
