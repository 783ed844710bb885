/**
 * One int4 quantization of `npm run bench -- int4` in a fresh process (its own peak RSS):
 *   quantize MODEL DATA OUT METHOD   `aios quantize --precision int4-weight --int4-method METHOD` on DATA
 * Prints one JSON line: wall time, peak RSS, the output SQNR on the calibration samples, and for
 * gptq the bytes of the Hessians (one K x K float64 array per distinct MatMul input).
 */
import { readModelFile } from '../src/core/onnx/read';
import { addGramOutputs } from '../src/core/quantize/hessian';
import { resolveSettings } from '../src/core/quantize/request';
import { runQuantize } from '../src/core/quantize/run';

async function main(): Promise<void> {
  const [mode, model, data, out, method] = process.argv.slice(2);
  if (mode !== 'quantize' || (method !== 'rtn' && method !== 'gptq')) throw new Error(`usage: quantize MODEL DATA OUT rtn|gptq (got ${process.argv.slice(2).join(' ')})`);
  const started = performance.now();
  const settings = resolveSettings({ input: model!, calibration: data!, out: out!, precision: 'int4-weight', int4Method: method }, process.cwd());
  const summary = await runQuantize(settings, { signal: new AbortController().signal, cwd: process.cwd(), progress: () => undefined, log: () => undefined, output: (p) => p });
  const ms = performance.now() - started;
  let hessianBytes = 0;
  if (method === 'gptq') for (const g of (await addGramOutputs(await readModelFile(model!), [])).grams.values()) hessianBytes += g.k * g.k * 8;
  console.log(JSON.stringify({ ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, sqnrDb: summary.outputSqnrDb, nodesQuantized: summary.nodesQuantized, samples: summary.calibration.samples, hessianBytes }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
