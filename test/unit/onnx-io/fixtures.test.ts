import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelBuilder, Rng, attr } from '../../../src/core/onnx/builder';
import { cnnClassifier, detectorHead, lstmRegressor, tinyLlm, transformerEncoder } from '../../../src/core/onnx/fixtures';
import { DataType, type Model } from '../../../src/core/onnx/model';
import { readModelBytes } from '../../../src/core/onnx/read';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { SINGLE_THREAD, snapshot } from './compare';
import { SYSTEM_PYTHON, hasPythonOnnx } from './reference';
import { noPythonOnnx, skipBecause } from '../skipBecause';

interface Case {
  readonly name: string;
  readonly make: (seed?: number) => Model;
  /** Feeds for one run; shapes chosen for the symbolic dims. */
  readonly feeds: (rng: Rng) => Record<string, ort.Tensor>;
  /** Expected output dims. */
  readonly outputs: Record<string, number[]>;
}

const floats = (rng: Rng, dims: number[]) => new ort.Tensor('float32', rng.normalArray(dims.reduce((a, b) => a * b, 1), 1), dims);

const CASES: Case[] = [
  {
    name: 'CNN classifier',
    make: (seed) => cnnClassifier({ seed }),
    feeds: (rng) => ({ input: floats(rng, [1, 3, 32, 32]) }),
    outputs: { logits: [1, 10] },
  },
  {
    name: 'detector head',
    make: (seed) => detectorHead({ seed }),
    feeds: (rng) => ({ image: floats(rng, [1, 3, 64, 64]) }),
    outputs: { boxes: [1, 192, 4], scores: [1, 192, 4] },
  },
  {
    name: 'LSTM regressor',
    make: (seed) => lstmRegressor({ seed }),
    feeds: (rng) => ({ series: floats(rng, [2, 20, 6]) }),
    outputs: { output: [2, 1] },
  },
  {
    name: 'transformer encoder block (fused LayerNorm)',
    make: (seed) => transformerEncoder({ seed }),
    feeds: (rng) => ({ tokens: floats(rng, [2, 7, 32]) }),
    outputs: { encoded: [2, 7, 32] },
  },
  {
    name: 'transformer encoder block (decomposed LayerNorm, classifier)',
    make: (seed) => transformerEncoder({ seed, layerNorm: 'decomposed', classes: 5 }),
    feeds: (rng) => ({ tokens: floats(rng, [3, 9, 32]) }),
    outputs: { logits: [3, 5] },
  },
  {
    name: 'tiny decoder-only LLM with KV cache',
    make: (seed) => tinyLlm({ seed }),
    feeds: (rng) => {
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from([3n, 17n]), [1, 2]) };
      for (let i = 0; i < 2; i++) {
        feeds[`past_key_values.${i}.key`] = floats(rng, [1, 2, 3, 8]);
        feeds[`past_key_values.${i}.value`] = floats(rng, [1, 2, 3, 8]);
      }
      return feeds;
    },
    outputs: { logits: [1, 2, 64], 'present.0.key': [1, 2, 5, 8], 'present.1.value': [1, 2, 5, 8] },
  },
];

describe('model builder and fixture factories', function () {
  this.timeout(60_000);

  for (const c of CASES) {
    it(`${c.name}: loads and runs in onnxruntime-node with the declared output shapes`, async () => {
      const bytes = await writeModelBytes(c.make());
      const session = await ort.InferenceSession.create(bytes, SINGLE_THREAD);
      try {
        const results = await session.run(c.feeds(new Rng(99)));
        for (const [name, dims] of Object.entries(c.outputs)) {
          const out = results[name];
          assert.ok(out !== undefined, `output ${name}`);
          assert.deepEqual([...out.dims], dims, `dims of ${name}`);
          assert.ok([...(out.data as Float32Array)].every(Number.isFinite), `${name} is finite`);
        }
      } finally {
        await session.release();
      }
    });
  }

  it('is deterministic: same seed, same bytes; another seed, other weights', async () => {
    for (const c of CASES) {
      const a = await writeModelBytes(c.make(7));
      const b = await writeModelBytes(c.make(7));
      const other = await writeModelBytes(c.make(8));
      assert.equal(Buffer.compare(a, b), 0, c.name);
      assert.notEqual(Buffer.compare(a, other), 0, c.name);
      assert.deepStrictEqual(await snapshot(readModelBytes(a)), await snapshot(c.make(7)), `${c.name}: reads back as built`);
    }
  });

  it('the LLM causal mask hides future tokens: logits of a prefix do not depend on later tokens', async () => {
    const session = await ort.InferenceSession.create(await writeModelBytes(tinyLlm()), SINGLE_THREAD);
    try {
      const emptyPast = () => Object.fromEntries([0, 1].flatMap((i) => ['key', 'value'].map((k) => [`past_key_values.${i}.${k}`, new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8])])));
      const run = async (ids: bigint[]) => (await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]), ...emptyPast() }))['logits']!.data as Float32Array;
      const a = await run([5n, 9n, 1n]);
      const b = await run([5n, 9n, 42n]);
      assert.deepEqual([...a.subarray(0, 128)], [...b.subarray(0, 128)], 'first two positions unchanged');
      assert.notDeepEqual([...a.subarray(128)], [...b.subarray(128)], 'last position changes');
    } finally {
      await session.release();
    }
  });

  it('every factory passes onnx.checker.check_model of python3-onnx (opset 17, IR 8)', async function () {
    if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
    const dir = mkdtempSync(join(tmpdir(), 'aios-fixtures-'));
    try {
      const files: string[] = [];
      for (const [k, c] of CASES.entries()) {
        const file = join(dir, `fixture${k}.onnx`);
        writeFileSync(file, await writeModelBytes(c.make()));
        files.push(file);
      }
      const script = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("checked", len(sys.argv) - 1)';
      assert.match(execFileSync(SYSTEM_PYTHON, ['-c', script, ...files], { encoding: 'utf8' }), new RegExp(`checked ${files.length}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds subgraphs, scopes and typed attributes', async () => {
    const b = new ModelBuilder({ name: 'if_model', seed: 1 });
    const cond = b.input('cond', DataType.BOOL, []);
    const x = b.input('x', DataType.FLOAT, [2]);
    const thenBranch = b.subgraph('then', (g) => g.output(g.op('Neg', [x]), DataType.FLOAT, [2]));
    const elseBranch = b.subgraph('else', (g) => g.output(g.op('Identity', [x]), DataType.FLOAT, [2]));
    const y = b.scope('block', () => b.op('If', [cond], { then_branch: attr.graph(thenBranch), else_branch: attr.graph(elseBranch) }, 'branch'));
    b.output(y, DataType.FLOAT, [2], 'y');
    const model = b.buildModel();
    assert.equal(model.graph.nodes[0]!.name, '/block/branch');
    const session = await ort.InferenceSession.create(await writeModelBytes(model), SINGLE_THREAD);
    try {
      const run = async (c: boolean) =>
        [...((await session.run({ cond: new ort.Tensor('bool', Uint8Array.from([c ? 1 : 0]), []), x: new ort.Tensor('float32', Float32Array.from([1, -2]), [2]) }))['y']!.data as Float32Array)];
      assert.deepEqual(await run(true), [-1, 2]);
      assert.deepEqual(await run(false), [1, -2]);
    } finally {
      await session.release();
    }
  });
});

describe('IR 10 data types through writer and onnxruntime-node', () => {
  it('int4 weights (DequantizeLinear) and float8 tensors (Cast) written by us run in onnxruntime-node', async () => {
    const b = new ModelBuilder({ name: 'ir10', seed: 1, opset: 21, irVersion: 10 });
    const trigger = b.input('x', DataType.FLOAT, [4]);
    // int4 [1, -2, 3, -8], two per byte, first element in the low nibble.
    const w = b.initializer('w_int4', [4], { dataType: DataType.INT4, bytes: Uint8Array.from([0xe1, 0x83]) });
    const dequantized = b.op('DequantizeLinear', [w, b.floats('scale', [0.5], [])]);
    b.output(b.op('Add', [dequantized, trigger]), DataType.FLOAT, [4], 'int4_out');
    const f8 = b.initializer('w_f8', [2], { dataType: DataType.FLOAT8E4M3FN, bytes: Uint8Array.from([0x38, 0xc0]) });
    b.output(b.op('Cast', [f8], { to: attr.int(DataType.FLOAT) }), DataType.FLOAT, [2], 'f8_out');
    const bytes = await writeModelBytes(b.buildModel());
    const reread = readModelBytes(bytes);
    assert.equal(reread.irVersion, 10n);
    assert.deepEqual([...(await reread.graph.initializers[0]!.data.read())], [0xe1, 0x83]);
    const session = await ort.InferenceSession.create(bytes, SINGLE_THREAD);
    try {
      const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [4]) });
      assert.deepEqual([...(out['int4_out']!.data as Float32Array)], [0.5, -1, 1.5, -4]);
      assert.deepEqual([...(out['f8_out']!.data as Float32Array)], [1, -2]);
    } finally {
      await session.release();
    }
  });
});
