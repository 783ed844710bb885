import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attr, makeTensor, ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';

/** y = Sum(x, x, ..., x) with `n` inputs: one repeated field far longer than a spread's argument limit. */
function wideSum(n: number): Model {
  const b = new ModelBuilder({ name: 'wide', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  b.output(b.node('Sum', Array.from({ length: n }, () => x), { name: 'sum' })[0]!, DataType.FLOAT, [1, 4], 'y');
  return b.buildModel();
}

/** One Add whose second input is a Constant feeding through `n` chained Identity nodes (all folded into the Add as weight nodes). */
function manyFolded(n: number): Model {
  const b = new ModelBuilder({ name: 'folded', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  let w = b.node('Constant', [], { name: 'c', attributes: { value: attr.tensor(makeTensor('v', [4], new Float32Array(4))) } })[0]!;
  for (let i = 0; i < n; i++) w = b.node('Identity', [w], { name: `id${i}` })[0]!;
  b.output(b.node('Add', [x, w], { name: 'add' })[0]!, DataType.FLOAT, [1, 4], 'y');
  return b.buildModel();
}

describe('hardening: nodes with 200,000 inputs or thousands of folded weight nodes', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aios-harden-wide-'));
    await writeModelFile(wideSum(200_000), join(dir, 'wide.onnx'));
    await writeModelFile(manyFolded(20_000), join(dir, 'folded.onnx'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('aios graph, inspect and diff end normally (graph overflowed the call stack: internal error)', async () => {
    for (const argv of [['graph', 'wide.onnx', '--html', 'wide.html'], ['inspect', 'wide.onnx'], ['diff', 'wide.onnx', 'wide.onnx'], ['graph', 'folded.onnx', '--html', 'folded.html']]) {
      const run = await runCliCaptured(argv, dir);
      assert.equal(run.code, 0, `${argv.join(' ')}: ${run.stderr}`);
    }
  });
});
