/**
 * One measurement of `npm run bench -- quantize` in a fresh process (its own peak RSS):
 *   fp32 MODEL SAMPLES           run the synthetic calibration samples once through fp32 (the baseline)
 *   quantize MODEL SAMPLES METHOD OUT   quantize with that calibration (what `aios quantize` runs)
 *   latency MODEL                median latency of one synthetic sample, onnxruntime-node
 * Prints one JSON line.
 */
import { readModelFile } from '../src/core/onnx/read';
import { resolveSettings } from '../src/core/quantize/request';
import { runQuantize } from '../src/core/quantize/run';
import { openModelSession, openSampleSource, runSamples } from '../src/core/runtime';

async function main(): Promise<void> {
  const [mode, model, samplesArg, method, out] = process.argv.slice(2);
  const samples = Number(samplesArg ?? 1);
  const started = performance.now();
  const result: Record<string, unknown> = {};
  if (mode === 'fp32' || mode === 'latency') {
    const m = await readModelFile(model!);
    const source = await openSampleSource('synthetic', m.graph, { samples: mode === 'latency' ? 1 : samples });
    // The baseline pass uses onnxruntime's default threads, as quantize's calibration does; latency one thread.
    const session = await openModelSession(m, mode === 'latency' ? { threads: 1 } : {});
    if (mode === 'fp32') await runSamples(session, source, () => undefined);
    else {
      const times: number[] = [];
      for (let k = 0; k < 7; k++) {
        const t0 = performance.now();
        await runSamples(session, source, () => undefined);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      result.latencyMs = times[3];
    }
    await session.release();
  } else if (mode === 'quantize') {
    const settings = resolveSettings({ input: model!, calibration: 'synthetic', samples, method: method as 'minmax', out: out! }, process.cwd());
    const summary = await runQuantize(settings, { signal: new AbortController().signal, cwd: process.cwd(), progress: () => undefined, log: () => undefined, output: (p) => p });
    Object.assign(result, { sqnrDb: summary.outputSqnrDb, sizeBefore: summary.sizeBefore, sizeAfter: summary.sizeAfter, nodesQuantized: summary.nodesQuantized });
  } else throw new Error(`unknown mode ${mode}`);
  result.ms = performance.now() - started;
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
