import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attr, ModelBuilder } from '../../../src/core/onnx/builder';
import { diffModels } from '../../../src/core/onnx/diff';
import { DataType, type AttributeValue, type Model } from '../../../src/core/onnx/model';
import { writeModelBytes } from '../../../src/core/onnx/write';

const cli = resolve('dist/cli.js');

/** x -> Custom(x) -> y with one attribute `big`. */
function withAttribute(value: AttributeValue): Model {
  const b = new ModelBuilder({ name: 'big-attr', seed: 1 });
  const x = b.input('x', DataType.FLOAT, [1, 4]);
  b.output(b.op('Custom', [x], { big: value }), DataType.FLOAT, [1, 4], 'y');
  return b.buildModel();
}

const changeOf = async (a: AttributeValue, b: AttributeValue): Promise<string[]> => {
  const d = await diffModels(withAttribute(a), withAttribute(b));
  return d.changed.flatMap((c) => c.what);
};

describe('hardening: diff compares huge attributes value by value and shows them cut short', function () {
  this.timeout(120_000);

  it('finds a change past the shown part of a long string, int list and string list', async () => {
    const long = 'a'.repeat(100_000);
    const [s] = await changeOf(attr.str(long), attr.str(`${long.slice(1)}b`));
    assert.match(s ?? '', /^attribute big: "a{100,}… \(100000 bytes\) -> "a{100,}… \(100000 bytes\)$/);
    assert.ok(s!.length < 600, `the line is ${s!.length} characters long`);
    const ints = Array.from({ length: 50_000 }, (_, i) => i);
    const [i] = await changeOf(attr.ints(ints), attr.ints([...ints.slice(0, -1), -1]));
    assert.match(i ?? '', /\(50000 values\)$/);
    assert.ok(i!.length < 600);
    const strs = Array.from({ length: 10_000 }, (_, k) => `s${k}`);
    assert.equal((await changeOf(attr.strs(strs), attr.strs([...strs.slice(0, -1), 'other']))).length, 1);
  });

  it('sees equal values as equal (NaN and -0 included) and short values in full', async () => {
    assert.deepEqual(await changeOf(attr.floats([NaN, -0, 1.5]), attr.floats([NaN, 0, 1.5])), []);
    assert.deepEqual(await changeOf(attr.str('x'.repeat(10_000)), attr.str('x'.repeat(10_000))), []);
    assert.deepEqual(await changeOf(attr.ints([1, 2]), attr.ints([1, 3])), ['attribute big: [1,2] -> [1,3]']);
    assert.deepEqual(await changeOf(attr.ints([1, 2]), attr.floats([1, 2])), ['attribute big: [1,2] -> [1,2]']);
  });

  it('aios diff of a model with a 60 MB string attribute against itself stays within 150 MB of heap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-harden-attr-'));
    try {
      writeFileSync(join(dir, 'm.onnx'), await writeModelBytes(withAttribute({ type: 'string', value: new Uint8Array(60 * 2 ** 20).fill(0x61) })));
      // The bytes live outside the JS heap; before, each side was decoded and turned into JSON text on it to compare.
      const r = spawnSync(process.execPath, ['--max-old-space-size=150', cli, 'diff', 'm.onnx', 'm.onnx'], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /structurally identical/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
