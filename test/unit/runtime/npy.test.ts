import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, parseNpy, type NpyArray } from '../../../src/core/runtime/npy';
import { SYSTEM_PYTHON } from '../onnx-io/reference';
import { skipBecause } from '../skipBecause';

function hasNumpy(): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const arrays: NpyArray[] = [
  { dtype: 'float32', shape: [2, 3], data: new Float32Array([1.5, -2, 0, 3.25, 1e-8, -7]) },
  { dtype: 'float16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x3555]) },
  { dtype: 'int8', shape: [2, 2], data: new Int8Array([-128, 127, 0, -1]) },
  { dtype: 'uint8', shape: [4], data: new Uint8Array([0, 1, 254, 255]) },
  { dtype: 'int32', shape: [1, 2], data: new Int32Array([-2147483648, 2147483647]) },
  { dtype: 'int64', shape: [2], data: new BigInt64Array([-(2n ** 62n), 42n]) },
  { dtype: 'bool', shape: [2, 1], data: new Uint8Array([1, 0]) },
  { dtype: 'float32', shape: [], data: new Float32Array([3]) },
  { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
];

describe('runtime: .npy reader and writer', () => {
  it('reads back what it writes, for every dtype, scalars and empty arrays', () => {
    for (const a of arrays) {
      const back = parseNpy(encodeNpy(a), 'x.npy');
      assert.equal(back.dtype, a.dtype);
      assert.deepEqual(back.shape, a.shape);
      assert.deepEqual([...back.data], [...a.data]);
    }
  });

  it('agrees with numpy both ways (v1 and v2 headers, every dtype)', function () {
    if (!hasNumpy()) skipBecause(this, 'numpy for /usr/bin/python3 is missing (apt-get install python3-numpy)');
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    try {
      arrays.forEach((a, i) => writeFileSync(join(dir, `ours${i}.npy`), encodeNpy(a)));
      const script = `
import numpy as np, json, sys
d = sys.argv[1]
out = []
for i in range(${arrays.length}):
    a = np.load(f"{d}/ours{i}.npy")
    out.append([str(a.dtype), list(a.shape), [float(x) if a.dtype.kind == 'f' else int(x) for x in a.ravel()]])
    np.lib.format.write_array(open(f"{d}/theirs{i}.npy", "wb"), a, version=(1, 0) if i % 2 else (2, 0))
np.save(f"{d}/fortran.npy", np.asfortranarray(np.ones((2, 3), np.float32)))
np.save(f"{d}/f64.npy", np.ones(3))
np.save(f"{d}/big.npy", np.ones(3, dtype=">f4"))
print(json.dumps(out))
`;
      const seen = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', script, dir], { encoding: 'utf8' })) as Array<[string, number[], number[]]>;
      arrays.forEach((a, i) => {
        const [dtype, shape, values] = seen[i] ?? ['', [], []];
        assert.equal(dtype, a.dtype, `numpy reads our ${a.dtype} file as ${dtype}`);
        assert.deepEqual(shape, a.shape);
        if (a.dtype === 'float32') assert.deepEqual(values, [...a.data].map((v) => Math.fround(Number(v))));
        if (a.dtype === 'float16') assert.deepEqual(values, [1, -2, 0.333251953125]);
        if (a.dtype === 'int64') assert.deepEqual(values.map(BigInt), [...a.data]);
        const theirs = parseNpy(readFileSync(join(dir, `theirs${i}.npy`)), `theirs${i}.npy`);
        assert.equal(theirs.dtype, a.dtype);
        assert.deepEqual(theirs.shape, a.shape);
        assert.deepEqual([...theirs.data], [...a.data]);
      });
      assert.throws(() => parseNpy(readFileSync(join(dir, 'fortran.npy')), 'fortran.npy'), /fortran\.npy: .*Fortran order.*ascontiguousarray/);
      assert.throws(() => parseNpy(readFileSync(join(dir, 'f64.npy')), 'f64.npy'), /f64\.npy: dtype <f8 is not supported.*astype\(numpy\.float32\)/);
      assert.throws(() => parseNpy(readFileSync(join(dir, 'big.npy')), 'big.npy'), /big\.npy: dtype >f4 .*big-endian/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a file that is not a .npy, is cut short or holds extra bytes', () => {
    const good = encodeNpy({ dtype: 'float32', shape: [4], data: new Float32Array(4) });
    assert.throws(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'a.npy'), /a\.npy: not a \.npy file/);
    assert.throws(() => parseNpy(good.subarray(0, good.length - 1), 'b.npy'), /b\.npy: holds 15 data bytes, but shape \[4\] of float32 needs 16/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    assert.throws(() => parseNpy(longer, 'c.npy'), /c\.npy: holds 4 bytes after the array/);
    assert.throws(() => parseNpy(good.subarray(0, 20), 'd.npy'), /d\.npy: truncated header/);
  });
});
