/**
 * Validation latency (issue 3): the samples and generated 100- and 5,000-line use cases,
 * p50/p95 of the synchronous layers (syntax, schema, catalog checks: what runs per keystroke)
 * and of the full validation (plus model, files; model metadata cache warm), against plain
 * `yaml.parse` of the same text measured interleaved in the same run.
 * Standalone: `node out/bench/validate.bench.js`.
 */
import { promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { nodeFileSystem } from '../src/core/fs';
import { readModelFile } from '../src/core/onnx/read';
import { builtinCatalog } from '../src/core/soc/catalog';
import { hostInfoFromOs } from '../src/core/soc/hostInfo';
import { ModelMetadataCache } from '../src/core/usecase/modelMetadata';
import { checkUseCase, validateUseCase, type UseCaseValidationContext } from '../src/core/usecase/validateUseCase';
import { generateUseCase } from '../test/fixtures/usecase/generate';
import { makeWorkspace } from '../test/unit/usecase/workspace';
import { formatTable, type BenchTable } from './harness';

export const name = 'validate';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (n: number) => Number(n.toFixed(n < 1 ? 3 : 2));

interface Case {
  readonly label: string;
  readonly text: string;
  readonly context: UseCaseValidationContext;
  readonly iterations: number;
  readonly goalMs?: number;
}

async function measure(c: Case) {
  const base: number[] = [];
  const sync: number[] = [];
  const full: number[] = [];
  const baseCpu: number[] = [];
  const syncCpu: number[] = [];
  const fullCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  for (let i = 0; i < 3; i++) await validateUseCase(c.text, c.context); // warm JIT and the model cache
  for (let i = 0; i < c.iterations; i++) {
    let cpu = process.cpuUsage();
    let t = performance.now();
    parse(c.text);
    base.push(performance.now() - t);
    baseCpu.push(cpuMs(cpu));
    cpu = process.cpuUsage();
    t = performance.now();
    checkUseCase(c.text, c.context);
    sync.push(performance.now() - t);
    syncCpu.push(cpuMs(cpu));
    cpu = process.cpuUsage();
    t = performance.now();
    await validateUseCase(c.text, c.context);
    full.push(performance.now() - t);
    fullCpu.push(cpuMs(cpu));
  }
  return { base, sync, full, baseCpu, syncCpu, fullCpu };
}

export async function run(): Promise<BenchTable> {
  const repo = join(__dirname, '..', '..');
  const host = hostInfoFromOs();
  const catalog = builtinCatalog(host);
  const models = new ModelMetadataCache((p) => readModelFile(p));
  const ws = await makeWorkspace(undefined, 'generated');
  const common = { fs: nodeFileSystem, catalog, models, realPath: (p: string) => fsp.realpath(p) };
  const cases: Case[] = [];
  const samples = join(repo, 'samples');
  for (const file of readdirSync(samples, { recursive: true }).map(String).filter((f) => f.endsWith('.usecase.yaml')).sort()) {
    const path = join(samples, file);
    cases.push({ label: `sample ${file.split('/').pop()?.replace('.usecase.yaml', '')}`, text: readFileSync(path, 'utf8'), context: { ...common, workspaceRoot: repo, filePath: path }, iterations: 200 });
  }
  for (const [lines, iterations, goalMs] of [[100, 200, 5], [5000, 60, 100]] as const) {
    const text = generateUseCase(lines);
    const path = join(ws.dir, `generated-${lines}.usecase.yaml`);
    writeFileSync(path, text);
    cases.push({ label: `generated ${text.split('\n').length - 1} lines`, text, context: { ...common, workspaceRoot: ws.root, filePath: path }, iterations, goalMs });
  }
  const rows: Array<Array<string | number>> = [];
  const notes: string[] = [];
  for (const c of cases) {
    const r = await measure(c);
    const b50 = percentile(r.base, 50);
    const s50 = percentile(r.sync, 50);
    const f50 = percentile(r.full, 50);
    const f95 = percentile(r.full, 95);
    rows.push([
      c.label,
      c.text.split('\n').length - 1,
      c.iterations,
      ms(b50),
      ms(percentile(r.base, 95)),
      ms(s50),
      ms(percentile(r.sync, 95)),
      ms(f50),
      ms(f95),
      `${(f50 / b50).toFixed(2)}x`,
      ms(percentile(r.baseCpu, 50)),
      ms(percentile(r.syncCpu, 50)),
      ms(percentile(r.fullCpu, 50)),
      ms(percentile(r.fullCpu, 95)),
    ]);
    if (c.goalMs !== undefined) notes.push(`${c.label}: full validation p95 ${ms(f95)} ms, goal < ${c.goalMs} ms: ${f95 < c.goalMs ? 'met' : 'MISSED'}`);
  }
  const load = (await import('node:os')).loadavg()[0] ?? 0;
  notes.push(`machine: ${host.logicalCores} cores, ${host.cpuModel}; 1-min load average ${load.toFixed(1)} at the end of the run (others share the machine).`);
  notes.push('sync = syntax + schema + catalog checks (per keystroke); full = all layers incl. model I/O check and file checks, model cache warm.');
  notes.push('cpu columns: process CPU time (user+system) per validation, less sensitive than wall time to other processes on a loaded machine.');
  return {
    title: 'Use-case validation latency (ms), baseline = yaml.parse of the same text, interleaved',
    columns: ['case', 'lines', 'runs', 'yaml.parse p50', 'p95', 'sync p50', 'p95', 'full p50', 'p95', 'full/yaml.parse p50', 'yaml.parse cpu p50', 'sync cpu p50', 'full cpu p50', 'p95'],
    rows,
    notes,
  };
}

if (require.main === module) {
  run().then(
    (t) => console.log(formatTable(t)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
