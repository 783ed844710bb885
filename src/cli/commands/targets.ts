import type { Command } from 'commander';
import { relative } from 'node:path';
import { nodeFileSystem } from '../../core/fs';
import { formatQuantity } from '../../core/quantity/quantity';
import { formatTotalMemory, totalMemoryBytes, type CatalogEntry } from '../../core/soc/catalog';
import { hostInfoFromOs } from '../../core/soc/hostInfo';
import { loadCatalog } from '../../core/soc/loadCatalog';
import { workspaceRootAbove } from '../../core/workspace/root';
import { precisions } from '../../core/compute/words';
import { ExitCode } from '../errors';
import { formatTable, printJson, printLines, type CliIo } from '../io';

function engineJson(engine: CatalogEntry['target']['engines'][number]) {
  return {
    id: engine.id,
    kind: engine.kind,
    ...(engine.name ? { name: engine.name } : {}),
    precisions: Object.fromEntries(
      precisions.flatMap((p) => {
        const figure = engine.precisions[p];
        return figure ? [[p, { peakOpsPerSecond: figure.peak.value.value, peak: `${figure.peak.value.magnitude}${figure.peak.value.unit}`, source: figure.peak.source }]] : [];
      }),
    ),
    ...(engine.ops ? { ops: engine.ops } : {}),
    fusions: engine.fusions,
  };
}

export function registerTargets(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('targets')
    .description('list the SoC target catalog (built-in, plus .aios/targets/*.soc.yaml of the workspace: the nearest folder above with .aios/)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: { json?: boolean }) => {
      const { catalog, files } = await loadCatalog(nodeFileSystem, await workspaceRootAbove(nodeFileSystem, io.cwd), hostInfoFromOs());
      for (const f of files) {
        for (const d of f.diagnostics.filter((x) => x.severity === 'error')) {
          printLines(io.stderr, [`${relative(io.cwd, f.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message} (target skipped)`]);
        }
      }
      const entries = catalog.entries();
      if (options.json) {
        printJson(io, {
          targets: entries.map((e) => ({
            id: e.target.id,
            name: e.target.name,
            vendor: e.target.vendor,
            engines: e.target.engines.map(engineJson),
            memoryBytes: totalMemoryBytes(e.target),
            sustainedPowerW: e.target.power.sustained.value.value,
            source: e.origin === 'builtin' ? 'builtin' : relative(io.cwd, e.file ?? ''),
            ...(e.overridesBuiltin ? { overridesBuiltin: true } : {}),
          })),
        });
      } else {
        const best = (e: CatalogEntry, p: 'int8' | 'fp16') => {
          const peaks = e.target.engines.flatMap((x) => (x.precisions[p] ? [x.precisions[p].peak.value.value] : []));
          return peaks.length > 0 ? formatQuantity('compute', Math.max(...peaks)) : '-';
        };
        io.stdout.write(
          formatTable(
            ['id', 'vendor', 'engines', 'int8 peak', 'fp16 peak', 'memory', 'sustained', 'source'],
            entries.map((e) => [
              e.target.id,
              e.target.vendor,
              e.target.engines.map((x) => x.kind).join(','),
              best(e, 'int8'),
              best(e, 'fp16'),
              formatTotalMemory(e.target),
              formatQuantity('power', e.target.power.sustained.value.value),
              e.origin === 'builtin' ? 'builtin' : `${relative(io.cwd, e.file ?? '')}${e.overridesBuiltin ? ' (overrides built-in)' : ''}`,
            ]),
          ),
        );
        io.stdout.write('Figures carry their source (datasheet, measurement, estimate): see --json.\n');
      }
      setExitCode(ExitCode.ok);
    });
}
