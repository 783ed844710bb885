import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelFile } from '../../../src/core/onnx/read';
import { resolveSettings } from '../../../src/core/quantize/request';
import { runQuantize } from '../../../src/core/quantize/run';
import { skipBecause } from '../skipBecause';
import { heldOutSqnr } from './isnet';
import { ocrSetup, type OcrSetup } from './ocrRec';

/**
 * int4 weight-only on a real trained transformer (PaddleOCR v4's SVTR recognizer, ocrRec.ts),
 * through `aios quantize`'s run: calibrated on strips of four photographs, judged on strips of
 * the four others, GPTQ against round to nearest.
 */
describe('int4 weight-only on a real transformer (PaddleOCR v4 recognizer), held-out photo strips', function () {
  this.timeout(600_000);
  let setup: OcrSetup;
  let dir: string;

  before(async function () {
    const found = await ocrSetup();
    if ('skip' in found) skipBecause(this, found.skip);
    setup = found;
    dir = mkdtempSync(join(tmpdir(), 'aios-ocr-int4-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every constant MatMul becomes MatMulNBits; gptq (the default with a calibration folder) reaches >= 15 dB on held-out strips and beats rtn', async () => {
    const quantize = async (int4Method: 'rtn' | 'gptq' | undefined, out: string) => {
      const settings = resolveSettings({ input: setup.model, calibration: setup.calibration, precision: 'int4-weight', out: join(dir, out), ...(int4Method ? { int4Method } : {}) }, dir);
      return runQuantize(settings, { signal: new AbortController().signal, cwd: dir, progress: () => undefined, log: () => undefined, output: (p) => p });
    };
    const gptq = await quantize(undefined, 'gptq.onnx');
    assert.match(gptq.notes[0] ?? '', /^int4 weights by GPTQ, fitted to the activations of 16 calibration samples/);
    assert.equal(gptq.nodesQuantized, 9, 'qkv, proj, fc1, fc2 of two blocks and the classifier');
    const model = await readModelFile(join(dir, 'gptq.onnx'));
    assert.equal(model.graph.nodes.filter((n) => n.opType === 'MatMulNBits').length, 9);
    await quantize('rtn', 'rtn.onnx');
    const held = await heldOutSqnr(setup.model, [join(dir, 'rtn.onnx'), join(dir, 'gptq.onnx')], setup.heldOut);
    const lowest = (path: string) => Math.min(...held.sqnrDb.get(path)!.values());
    const sqnr = { rtn: lowest(join(dir, 'rtn.onnx')), gptq: lowest(join(dir, 'gptq.onnx')) };
    console.log(`      PaddleOCR v4 rec, ${held.samples} held-out strips: rtn ${sqnr.rtn.toFixed(1)} dB, gptq ${sqnr.gptq.toFixed(1)} dB`);
    assert.ok(sqnr.gptq >= 15, `${sqnr.gptq.toFixed(1)} dB`);
    assert.ok(sqnr.gptq > sqnr.rtn, JSON.stringify(sqnr));
  });
});
