/**
 * One measurement of `npm run bench -- quantize` in a fresh process (its own peak RSS):
 *   fp32 MODEL SAMPLES [DATA]            run the calibration samples once through fp32 (the baseline)
 *   quantize MODEL SAMPLES METHOD OUT [DATA] [PRECISION]   quantize with that calibration (what `aios quantize` runs; default int8)
 *   latency MODEL [RUNS] [THREADS]       median latency of one synthetic sample in onnxruntime-node
 *                                        (after one warm-up run; THREADS 0: onnxruntime's default)
 *   heldout REFERENCE DATA LIMIT CANDIDATE...   output SQNR of each candidate against the reference
 *   alternate RUNS DATA MODEL...         latency of each model (onnxruntime's default options) on the first
 *                                        sample of DATA: one warm-up each, then RUNS rounds that run each
 *                                        model once in turn; medians (all sessions open at once)
 * DATA is a folder of .npy samples or `synthetic` (the default). Prints one JSON line.
 */
import { readModelFile } from '../src/core/onnx/read';
import { resolveSettings } from '../src/core/quantize/request';
import { runQuantize } from '../src/core/quantize/run';
import { openModelSession, openSampleSource, openSession, runSamples, type Sample } from '../src/core/runtime';
import { heldOutSqnr } from '../test/unit/quantize/isnet';
import { median } from './harness';

async function main(): Promise<void> {
  const [mode, model, ...rest] = process.argv.slice(2);
  const started = performance.now();
  const result: Record<string, unknown> = {};
  if (mode === 'fp32') {
    const [samples, data] = [Number(rest[0] ?? 1), rest[1] ?? 'synthetic'];
    const m = await readModelFile(model!);
    const source = await openSampleSource(data, m.graph, { samples });
    // The baseline pass uses onnxruntime's default threads, as quantize's calibration does.
    const session = await openModelSession(m);
    await runSamples(session, source, () => undefined);
    await session.release();
  } else if (mode === 'latency') {
    const [runs, threads] = [Number(rest[0] ?? 7), Number(rest[1] ?? 1)];
    const m = await readModelFile(model!);
    const source = await openSampleSource('synthetic', m.graph, { samples: 1 });
    const session = await openModelSession(m, threads > 0 ? { threads } : {});
    await runSamples(session, source, () => undefined);
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await runSamples(session, source, () => undefined);
      times.push(performance.now() - t0);
    }
    result.latencyMs = median(times);
    await session.release();
  } else if (mode === 'alternate') {
    const [runs, data, ...models] = [Number(model), ...rest] as [number, string, ...string[]];
    const sessions = [];
    for (const path of models) {
      const source = await openSampleSource(data, (await readModelFile(path)).graph, { samples: 1 });
      let feeds: Sample['feeds'] | undefined;
      for await (const sample of source.samples()) feeds = sample.feeds;
      const session = await openSession({ path });
      await session.run(feeds!);
      sessions.push({ path, session, feeds: feeds! });
    }
    const times = sessions.map(() => [] as number[]);
    for (let r = 0; r < runs; r++) {
      for (const [k, s] of sessions.entries()) {
        const t0 = performance.now();
        await s.session.run(s.feeds);
        times[k]!.push(performance.now() - t0);
      }
    }
    result.latencyMs = Object.fromEntries(sessions.map((s, k) => [s.path, median(times[k]!)]));
    result.runsMs = Object.fromEntries(sessions.map((s, k) => [s.path, times[k]!.map((t) => Math.round(t))]));
    for (const s of sessions) await s.session.release();
  } else if (mode === 'quantize') {
    const [samples, method, out, data, precision] = [Number(rest[0] ?? 1), rest[1], rest[2], rest[3] ?? 'synthetic', rest[4]];
    const settings = resolveSettings({ input: model!, calibration: data, samples, method: method as 'minmax', out: out!, ...(precision ? { precision: precision as 'fp16' } : {}) }, process.cwd());
    const summary = await runQuantize(settings, { signal: new AbortController().signal, cwd: process.cwd(), progress: () => undefined, log: () => undefined, output: (p) => p });
    Object.assign(result, { sqnrDb: summary.outputSqnrDb, sizeBefore: summary.sizeBefore, sizeAfter: summary.sizeAfter, nodesQuantized: summary.nodesQuantized });
  } else if (mode === 'heldout') {
    const [data, limit, ...candidates] = rest;
    const { sqnrDb, samples } = await heldOutSqnr(model!, candidates, data!, Number(limit));
    Object.assign(result, { samples, sqnrDb: Object.fromEntries([...sqnrDb].map(([c, m]) => [c, Object.fromEntries(m)])) });
  } else throw new Error(`unknown mode ${mode}`);
  result.ms = performance.now() - started;
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
