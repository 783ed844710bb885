import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffModels } from '../../../src/core/onnx/diff';
import { readModelFile } from '../../../src/core/onnx/read';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { externalWeightModel } from './hostileModels';

const cli = resolve('dist/cli.js');
const GiB = 2 ** 30;

describe('hardening: diff of models with huge external weights is bounded', function () {
  this.timeout(120_000);
  let dir: string;
  /** Two folders, each a model whose 20 GiB weight is a sparse file (zeros) with `marks` bytes set. */
  const pair = async (name: string, markB?: number, bytes = 20 * GiB): Promise<[string, string]> => {
    const paths: string[] = [];
    for (const side of ['a', 'b']) {
      const folder = join(dir, name, side);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'm.onnx'), await writeModelBytes(externalWeightModel(bytes, 'w.bin')));
      writeFileSync(join(folder, 'w.bin'), '');
      truncateSync(join(folder, 'w.bin'), bytes);
      if (side === 'b' && markB !== undefined) {
        const fd = openSync(join(folder, 'w.bin'), 'r+');
        writeSync(fd, Buffer.from([1, 2, 3, 4]), 0, 4, markB);
        closeSync(fd);
      }
      paths.push(join(folder, 'm.onnx'));
    }
    return [paths[0]!, paths[1]!];
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'aios-harden-huge-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('aios diff on two 20 GiB sparse weights ends (killed after 30 s otherwise) and says it compared samples', async () => {
    const [a, b] = await pair('same');
    const r = spawnSync(process.execPath, [cli, 'diff', a, b], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, 'diff ran past 30 s');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /structurally identical/);
    assert.match(r.stdout, /Note: weight w \(20(\.0+)? GiB\) is too big to hash whole; compared by its length and sampled blocks only/);
  });

  it('finds a change that lies in a sampled block (the last bytes), and reports it as sampled', async () => {
    const [a, b] = await pair('changed', 20 * GiB - 4);
    const d = await diffModels(await readModelFile(a), await readModelFile(b));
    assert.equal(d.identical, false);
    assert.equal(d.changed.length, 1);
    assert.deepEqual(d.changed[0]!.what, ['weight w (input 1): content changed (compared by sampled blocks: too big to hash whole)']);
    assert.deepEqual(d.sampledWeights, [{ tensor: 'w', bytes: 20 * GiB }]);
  });

  it('a change between the sampled blocks is not seen, and the result says the comparison was sampled', async () => {
    const [a, b] = await pair('between', 42 * 2 ** 20 + 7);
    const d = await diffModels(await readModelFile(a), await readModelFile(b));
    assert.equal(d.identical, true);
    assert.deepEqual(d.sampledWeights, [{ tensor: 'w', bytes: 20 * GiB }]);
  });

  it('external data without a length is the bytes the dims need, not the rest of a 20 GiB file (found by the full probe run: diff hashed all of it)', async () => {
    const folder = join(dir, 'no-length');
    mkdirSync(folder, { recursive: true });
    const model = externalWeightModel(16, 'w.bin');
    const [w] = model.graph.initializers;
    const unsized = { ...w!, externalData: w!.externalData!.filter((e) => e.key !== 'length') };
    writeFileSync(join(folder, 'm.onnx'), await writeModelBytes({ ...model, graph: { ...model.graph, initializers: [unsized] } }));
    writeFileSync(join(folder, 'w.bin'), '');
    truncateSync(join(folder, 'w.bin'), 20 * GiB);
    const read = await readModelFile(join(folder, 'm.onnx'));
    assert.equal(read.graph.initializers[0]!.data.byteLength, 16);
    assert.equal((await read.graph.initializers[0]!.data.read()).byteLength, 16);
    const r = spawnSync(process.execPath, [cli, 'diff', join(folder, 'm.onnx'), join(folder, 'm.onnx')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, 'diff ran past 30 s');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /sampled/, 'a 16-byte weight is hashed whole');
  });

  it('hashes weights whole below the limits (any change found), and samples once the per-diff budget is spent', async () => {
    const [a, b] = await pair('small', 32 * 2 ** 20 - 4, 32 * 2 ** 20);
    const whole = await diffModels(await readModelFile(a), await readModelFile(b));
    assert.equal(whole.sampledWeights, undefined);
    assert.match(whole.changed[0]!.what[0]!, /content changed \(max \|Δ\| .*; sha256 [0-9a-f]{12} -> [0-9a-f]{12}\)/);
    const budget = await diffModels(await readModelFile(a), await readModelFile(b), { fullHashBudgetBytes: 2 ** 20 });
    assert.deepEqual(budget.sampledWeights, [{ tensor: 'w', bytes: 32 * 2 ** 20 }]);
    assert.match(budget.changed[0]!.what[0]!, /compared by sampled blocks/);
  });
});
