/**
 * `npm run bench [-- FILTER]`: runs every bench/*.bench.ts module (or those whose name or
 * file contains FILTER), prints their tables, and saves them as JSON under bench-results/.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable, type BenchModule, type BenchTable } from './harness';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  const results: Record<string, readonly BenchTable[]> = {};
  let ran = 0;
  for (const file of files) {
    const module = (await import(join(__dirname, file))) as Partial<BenchModule>;
    if (typeof module.name !== 'string' || typeof module.run !== 'function') {
      console.error(`${file}: not a benchmark module (export name and run())`);
      process.exitCode = 1;
      continue;
    }
    if (filter !== undefined && !module.name.includes(filter) && !file.includes(filter)) continue;
    ran++;
    console.error(`running ${module.name} ...`);
    const tables = await module.run();
    const list = Array.isArray(tables) ? (tables as readonly BenchTable[]) : [tables as BenchTable];
    results[module.name] = list;
    for (const table of list) console.log(`\n${formatTable(table)}`);
  }
  if (ran === 0) {
    console.error(filter === undefined ? 'no bench/*.bench.ts modules found' : `no benchmark matches "${filter}"`);
    process.exitCode = 2;
    return;
  }
  const dir = join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, results }, null, 2)}\n`);
  console.error(`\nsaved ${file}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
