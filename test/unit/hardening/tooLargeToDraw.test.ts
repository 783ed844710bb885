import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { checkDrawable, TooLargeToDrawError } from '../../../src/core/graphview/drawableSize';
import { runCliCaptured } from '../cli/runCli';

function chain(nodes: number) {
  const b = new ModelBuilder({ name: 'chain', seed: 1 });
  let x = b.input('x', DataType.FLOAT, [1, 4]);
  for (let i = 0; i < nodes; i++) x = b.op('Relu', [x]);
  b.output(x, DataType.FLOAT, [1, 4], 'y');
  return b.buildModel();
}

describe('hardening: models too large to draw', () => {
  it('are refused at once with their node count and what to use instead (a 1M-node model ran out of memory after 8 minutes)', async () => {
    const model = chain(50);
    assert.doesNotThrow(() => checkDrawable(model, 'm.onnx', 50));
    assert.throws(() => checkDrawable(model, 'm.onnx', 49), (e: unknown) => e instanceof TooLargeToDrawError && /^m\.onnx has 50 nodes; the graph view draws models of up to 49 .*Use aios inspect/.test(e.message));
    const payload = await buildModelPayload(model, { title: 'm.onnx' });
    assert.equal(payload.graphs[0]!.nodes.kind.filter((k) => k === 'op').length, 50, 'below the default limit it draws');
  });

  it('aios graph on one exits 2 with one line, no internal error', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'aios-harden-draw-'));
    try {
      writeFileSync(join(dir, 'big.onnx'), await writeModelBytes(chain(300_001)));
      const run = await runCliCaptured(['graph', 'big.onnx', '--html', 'out.html'], dir);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^aios: big\.onnx has 300,001 nodes; the graph view draws models of up to 300,000/);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
