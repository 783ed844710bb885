import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelBuilder } from '../../../src/core/onnx/builder';
import { DataType } from '../../../src/core/onnx/model';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes } from '../../../src/core/onnx/write';

describe('ONNX reader: small payloads are kept while parsing', () => {
  it('reads scalars and shape vectors without the file (as opened), larger weights from the file', async () => {
    const b = new ModelBuilder({ name: 'small', seed: 1 });
    const x = b.input('x', DataType.FLOAT, [1, 64]);
    const shape = b.int64s('shape', [1, 8, 8]);
    const scale = b.floats('scale', [0.5]);
    const big = b.weight('big', [64, 64], 0.1);
    b.output(b.op('Reshape', [b.op('Mul', [b.op('MatMul', [x, big]), scale]), shape]), DataType.FLOAT, [1, 8, 8], 'y');
    const dir = mkdtempSync(join(tmpdir(), 'aios-small-payloads-'));
    try {
      const file = join(dir, 'm.onnx');
      writeFileSync(file, await writeModelBytes(b.buildModel()));
      const model = await readModelFile(file);
      const tensor = (name: string) => model.graph.initializers.find((t) => t.name === name)!;
      unlinkSync(file);
      writeFileSync(file, 'changed');
      assert.deepEqual([...new BigInt64Array((await tensor('shape').data.read()).slice().buffer)], [1n, 8n, 8n]);
      assert.deepEqual([...new Float32Array((await tensor('scale').data.read()).slice().buffer)], [0.5]);
      const copy = await tensor('scale').data.read();
      copy[0] = 0xff;
      assert.deepEqual([...new Float32Array((await tensor('scale').data.read()).slice().buffer)], [0.5], 'each read returns a copy the caller owns');
      await assert.rejects(tensor('big').data.read(), /changed since it was opened/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
