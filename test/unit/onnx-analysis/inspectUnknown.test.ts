import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { writeModelFile } from '../../../src/core/onnx/write';
import { runCliCaptured } from '../cli/runCli';

/** aios inspect says "unknown" for figures it cannot tell, never 0. */
describe('aios inspect with unknown cost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aios-inspect-unknown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints unknown FLOPs when no node has a known cost, and a lower bound when some have', async () => {
    const custom = new ModelBuilder({ name: 'custom', seed: 1 });
    custom.opsetImport('com.example', 1);
    const x = custom.input('x', DataType.FLOAT, [1, 16]);
    custom.output(custom.node('Mystery', [x], { domain: 'com.example' })[0]!, DataType.FLOAT);
    const unknown = join(dir, 'unknown.onnx');
    await writeModelFile(custom.buildModel(), unknown);
    const run = await runCliCaptured(['inspect', unknown]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Compute +unknown \(1 node of unknown cost\)$/m);

    const mixed = new ModelBuilder({ name: 'mixed', seed: 1 });
    mixed.opsetImport('com.example', 1);
    const y = mixed.op('Relu', [mixed.input('x', DataType.FLOAT, [1, 16])]);
    mixed.output(mixed.node('Mystery', [y], { domain: 'com.example' })[0]!, DataType.FLOAT);
    const partial = join(dir, 'mixed.onnx');
    await writeModelFile(mixed.buildModel(), partial);
    assert.match((await runCliCaptured(['inspect', partial])).stdout, /^Compute +at least 16 FLOPs, 0 MACs \(1 node of unknown cost\)$/m);
  });
});
